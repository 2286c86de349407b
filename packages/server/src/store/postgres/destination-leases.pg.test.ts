import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../ports/store.js';
import { createScratchDatabase, pgTestAvailability, type ScratchDatabase } from '../../testing/pg-scratch.js';
import { lockWaiter } from '../../testing/lock-waiter.js';
import { storeEvent } from '../../testing/store-event.js';
import { STORE_T0, webhookRecord } from '../../testing/webhook-record.js';
import { openPostgresStore } from './open-postgres-store.js';
import { createPool, type PgPool } from './pg-database.js';

const pg = await pgTestAvailability();
if (!pg.ok) console.warn(`herald_destination_leases: skipped: ${pg.reason}`);

/**
 * A statement that locks a destination and counts its leases must see the leases committed while
 * it waited for the lock, or a claim that committed meanwhile would let it pass the cap (the
 * one-statement claim, direct leases). `herald_destination_leases` (migration 0011) counts with a
 * snapshot of its own; a plain subquery counts as of the statement's start.
 */
describe.skipIf(!pg.ok)('herald_destination_leases: counts as of the call, not of the statement start', () => {
  let scratch: ScratchDatabase;
  let store: Store;
  let pool: PgPool;

  beforeAll(async () => {
    scratch = await createScratchDatabase(pg.ok ? pg.url : '');
    store = await openPostgresStore(scratch.url, { poolSize: 2 });
    pool = createPool(scratch.url, 3);
    await store.ensureProject({ id: 'p1', name: 'p1', createdAt: STORE_T0 });
    await store.createWebhook(webhookRecord('wh1'));
    await store.emitEvent(storeEvent());
  });
  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await scratch?.drop();
  });

  it('sees a lease committed while the statement waited on a lock', async () => {
    const dest = (await pool.query<{ id: string }>('SELECT id FROM destinations')).rows[0]!.id;
    const other = await pool.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock(4242)');
      // Starts now (its snapshot: no lease yet), then waits for the lock `other` holds.
      const counting = pool.query<{ at_start: number; at_call: number }>(
        `SELECT (SELECT count(*)::int FROM deliveries WHERE destination_id = $1 AND status = 'in_flight') AS at_start,
                (SELECT leases FROM herald_destination_leases(ARRAY[$1])) AS at_call
         FROM (SELECT pg_advisory_xact_lock(4242)) w`,
        [dest],
      );
      await lockWaiter(pool, 'the counting statement never waited for the lock');
      // Another claim leases there and commits while the statement waits.
      await other.query("UPDATE deliveries SET status = 'in_flight', lease_owner = 'w2' WHERE destination_id = $1", [
        dest,
      ]);
      await other.query('COMMIT');
      expect((await counting).rows[0]).toEqual({ at_start: 0, at_call: 1 });
    } finally {
      other.release();
    }
  });
});
