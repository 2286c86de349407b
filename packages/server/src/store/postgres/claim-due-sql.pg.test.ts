import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../ports/store.js';
import { createScratchDatabase, pgTestAvailability, type ScratchDatabase } from '../../testing/pg-scratch.js';
import { lockWaiter } from '../../testing/lock-waiter.js';
import { storeEvent } from '../../testing/store-event.js';
import { STORE_T0, webhookRecord } from '../../testing/webhook-record.js';
import { CLAIM_DUE_ONE_SQL, CLAIM_DUE_SQL } from './claim-due-sql.js';
import { openPostgresStore } from './open-postgres-store.js';
import { createPool, type PgPool } from './pg-database.js';

const pg = await pgTestAvailability();
if (!pg.ok) console.warn(`PostgreSQL hot-statement plans: skipped: ${pg.reason}`);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Operation?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Parent Relationship'?: string;
  Plans?: PlanNode[];
}

const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/**
 * The hot statements are planned with the statistics autovacuum took when nothing was pending (as
 * on a deployment that was idle until a burst, for up to a minute), against a table that has
 * grown since. Joined by id, the lease walked the whole pending index once per chosen row (108 ms
 * a claim at a 20,000-delivery backlog, `bench/profile/pg-drain.ts`).
 */
describe.skipIf(!pg.ok)('PostgreSQL hot statements: plans that do not depend on the statistics', () => {
  let scratch: ScratchDatabase;
  let store: Store;
  let pool: PgPool;
  const plan = async (text: string, values: unknown[]): Promise<PlanNode[]> => {
    const r = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>({
      text: `EXPLAIN (FORMAT JSON) ${text}`,
      values,
    });
    return nodes(r.rows[0]!['QUERY PLAN'][0].Plan);
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase(pg.ok ? pg.url : '');
    store = await openPostgresStore(scratch.url, { poolSize: 2 });
    pool = createPool(scratch.url, 2);
    await store.ensureProject({ id: 'p1', name: 'p1', createdAt: STORE_T0 });
    await store.createWebhook(webhookRecord('wh1'));
    await store.createWebhook(webhookRecord('wh2'));
    await pool.query('ANALYZE'); // nothing pending, nothing delivered yet
    for (let i = 0; i < 1500; i++) {
      await store.emitEvent(storeEvent({ data: { i } }));
    }
  });
  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await scratch?.drop();
  });

  const forms = [
    {
      form: 'after a transaction locked the destinations (CLAIM_DUE_SQL)',
      sql: CLAIM_DUE_SQL,
      values: (dests: string[]) => [dests, [64, 64], [0, 1], STORE_T0 + 1, 64, 'w1', STORE_T0 + 30_000, 16, [16, 16]],
    },
    {
      form: 'locking the destinations itself (CLAIM_DUE_ONE_SQL)',
      sql: CLAIM_DUE_ONE_SQL,
      values: () => [[], 128, 16, STORE_T0 + 1, 64, 'w1', STORE_T0 + 30_000, 16],
    },
  ];
  it.each(forms)(
    'the claim leases the rows it chose by their versions (a TID scan), never by a walk of the pending index: $form',
    async ({ sql, values }) => {
      const dests = (await pool.query<{ id: string }>('SELECT id FROM destinations ORDER BY id')).rows.map((r) => r.id);
      expect(dests).toHaveLength(2);
      const steps = await plan(sql, values(dests));
      const lease = steps.find((n) => n.Operation === 'Update' && n['Relation Name'] === 'deliveries');
      expect(lease).toBeDefined();
      const scans = (lease!.Plans ?? []).filter((n) => n['Parent Relationship'] !== 'InitPlan');
      expect(scans.map((n) => n['Node Type'])).toEqual(['Tid Scan']);
      // Every other visit of `deliveries` is an index probe with a condition, not a walk of a whole index.
      for (const n of steps.filter((s) => s['Relation Name'] === 'deliveries' && s['Node Type'] !== 'ModifyTable')) {
        expect(n['Node Type']).not.toBe('Seq Scan');
        if (n['Node Type'].startsWith('Index')) expect(n['Index Cond'], n['Index Name']).toBeDefined();
      }
    },
  );

  it('a row another transaction cancels while the claim waits for it is re-checked as it is now, and not leased', async () => {
    const [first, second] = (await pool.query<{ id: string }>('SELECT id FROM destinations ORDER BY id')).rows.map(
      (r) => r.id,
    );
    // A webhook's backlog cancelled (its deletion, say) in a transaction still open when the claim
    // takes its snapshot: the claim chooses those rows as pending, then waits for their locks.
    const other = await pool.connect();
    try {
      await other.query('BEGIN');
      const cancelled = await other.query(
        "UPDATE deliveries SET status = 'cancelled' WHERE destination_id = $1 AND status = 'pending'",
        [first],
      );
      expect(cancelled.rowCount).toBeGreaterThan(0);
      const claim = store
        .claimDue({
          now: STORE_T0 + 1,
          limit: 8,
          maxPerDestination: 16,
          leaseMs: 30_000,
          owner: 'w1',
        })
        .then((r) => r.deliveries);
      await lockWaiter(pool, 'the claim never chose the rows being cancelled');
      await other.query('COMMIT');
      const leased = await claim;
      const states = await pool.query<{ status: string; n: number }>(
        'SELECT status, count(*)::int AS n FROM deliveries WHERE destination_id = $1 GROUP BY status',
        [first],
      );
      expect(states.rows).toEqual([{ status: 'cancelled', n: cancelled.rowCount }]);
      // The claims that follow lease from the other destination.
      const next = await store
        .claimDue({
          now: STORE_T0 + 2,
          limit: 8,
          maxPerDestination: 16,
          leaseMs: 30_000,
          owner: 'w1',
        })
        .then((r) => r.deliveries);
      expect(next.length).toBeGreaterThan(0);
      const from = await pool.query<{ destination_id: string }>(
        'SELECT DISTINCT destination_id FROM deliveries WHERE id = ANY($1::text[])',
        [[...leased, ...next].map((d) => d.id)],
      );
      expect(from.rows).toEqual([{ destination_id: second }]);
    } finally {
      other.release();
    }
  });
});
