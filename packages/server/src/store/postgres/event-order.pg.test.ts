import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmitInput } from '../../model/records.js';
import { createScratchDatabase, pgTestAvailability, type ScratchDatabase } from '../../testing/pg-scratch.js';
import { emitEventInTx } from './emit-event.js';
import { readWatermark } from './event-order.js';
import type { Store } from '../../ports/store.js';
import { openPostgresStore } from './open-postgres-store.js';
import { createPool, inTx, poolReader, type PgPool } from './pg-database.js';

const pg = await pgTestAvailability();
if (!pg.ok) console.warn(`event order: PostgreSQL runs skipped: ${pg.reason}`);

let n = 0;
const input = (): EmitInput => ({
  eventId: `evt_order_${++n}`,
  projectId: 'p1',
  type: 'job.done',
  messageId: `msg_order_${n}`,
  body: '{}',
  createdAt: 1,
  deadlineAt: 2,
  target: { kind: 'subscribers' },
  newDeliveryId: () => `dlv_order_${++n}`,
});

/** A raw reader without the watermark: what `after=` paging would see if it only ordered by sequence. */
async function naiveAfter(pool: PgPool, after: number): Promise<number[]> {
  const rows = await poolReader(pool).rows<{ sequence: number }>(
    "SELECT sequence FROM events WHERE project_id = 'p1' AND sequence > $1 ORDER BY sequence",
    [after],
  );
  return rows.map((r) => r.sequence);
}

describe.skipIf(!pg.ok)('PostgreSQL event order (ADR 0012)', () => {
  let scratch: ScratchDatabase;
  let store: Store;
  let pool: PgPool;
  beforeAll(async () => {
    scratch = await createScratchDatabase(pg.ok ? pg.url : '');
    store = await openPostgresStore(scratch.url, { poolSize: 4 });
    pool = createPool(scratch.url, 4);
    await store.ensureProject({ id: 'p1', name: 'p1', createdAt: 1 });
  });
  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await scratch?.drop();
  });

  it('hides an event until every older transaction has ended, so a cursor never skips a late commit', async () => {
    let letGo!: () => void;
    const held = new Promise<void>((r) => (letGo = r));
    let started!: () => void;
    const hasXid = new Promise<void>((r) => (started = r));
    // Transaction A takes its id first, then waits; B emits and commits meanwhile.
    const a = inTx(pool, async (tx) => {
      await tx.one('SELECT pg_current_xact_id()');
      started();
      await held;
      return emitEventInTx(tx, input());
    });
    await hasXid;
    const b = await store.emitEvent(input());

    // The naive reader sees B and moves its cursor past A's future number …
    const naive = await naiveAfter(pool, 0);
    expect(naive).toEqual([b.event.sequence]);
    // … the event log does not: B waits behind A, and the watermark sits below B.
    expect(await store.listEvents('p1', { afterSequence: 0, pageSize: 10 })).toEqual([]);
    expect(await readWatermark(poolReader(pool))).toBeLessThanOrEqual(b.event.sequence);

    letGo();
    const aDone = await a;
    expect(aDone.event.sequence).toBeLessThan(b.event.sequence);
    // The naive cursor (at B) has skipped A for good; the event log shows both, in order.
    expect(await naiveAfter(pool, b.event.sequence)).toEqual([]);
    const log = await store.listEvents('p1', { afterSequence: 0, pageSize: 10 });
    expect(log.map((e) => e.id)).toEqual([aDone.event.id, b.event.id]);
  });

  it('numbers several events of one transaction in order, and no transaction waits on another', async () => {
    const before = await readWatermark(poolReader(pool));
    const results = await store.emitEvents([input(), input(), input()]);
    const seqs = results.map((r) => r.event.sequence);
    expect(seqs[1]! - seqs[0]!).toBe(1);
    expect(seqs[2]! - seqs[1]!).toBe(1);
    expect(seqs[0]!).toBeGreaterThanOrEqual(before);
    // Two transactions each holding an emit open at once: with a project-row lock the second
    // would block here until the first commits (and this test would time out).
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = inTx(pool, async (tx) => {
      const r = await emitEventInTx(tx, input());
      await gate;
      return r;
    });
    const second = await inTx(pool, (tx) => emitEventInTx(tx, input()));
    release();
    expect((await first).event.sequence).not.toBe(second.event.sequence);
  });

  it('does not let a long transaction in ANOTHER database hold the log back', async () => {
    const other = createPool(pg.ok ? pg.url : '', 1);
    const client = await other.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_current_xact_id()'); // an open transaction with an id, elsewhere
      const e = await store.emitEvent(input());
      const log = await store.listEvents('p1', { afterSequence: e.event.sequence - 1, pageSize: 10 });
      expect(log.map((x) => x.id)).toEqual([e.event.id]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
      await other.end();
    }
  });
});
