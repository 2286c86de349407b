import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClaimedDelivery } from '../../model/records.js';
import type { Store } from '../../ports/store.js';
import { lockWaiter } from '../../testing/lock-waiter.js';
import { createScratchDatabase, pgTestAvailability, type ScratchDatabase } from '../../testing/pg-scratch.js';
import { storeEvent } from '../../testing/store-event.js';
import { STORE_T0, webhookRecord } from '../../testing/webhook-record.js';
import { openPostgresStore } from './open-postgres-store.js';
import { createPool, poolReader, poolStatements, type PgPool } from './pg-database.js';
import { recordLeasedAttempts } from './record-leased.js';

const pg = await pgTestAvailability();
if (!pg.ok) console.warn(`PostgreSQL delivery queue: skipped: ${pg.reason}`);

const T0 = STORE_T0;
const CAP = 2;

const emit = (store: Store, type = 'job.done', now = T0) => store.emitEvent(storeEvent({ type, now }));
const claim = (store: Store, now = T0) =>
  store.claimDue({ now, limit: 100, maxPerDestination: CAP, leaseMs: 30_000, owner: 'w1' }).then((r) => r.deliveries);
const finish = (store: Store, d: ClaimedDelivery, retryAt?: number) =>
  store.completeAttempt({
    delivery: d,
    now: T0 + 1,
    outcome: retryAt === undefined ? { status: 'succeeded' } : { status: 'pending', nextAttemptAt: retryAt },
    attempt: {
      deliveryId: d.id,
      number: 1,
      trigger: 'scheduled',
      startedAt: T0,
      durationMs: 1,
      statusCode: retryAt === undefined ? 200 : 503,
      errorCode: null,
      errorMessage: null,
      responseExcerpt: null,
    },
  });

/**
 * The destination row under ADR 0012: claims COUNT leases; `in_flight` is only a "full" mark,
 * and an attempt record writes the row only to clear that mark or to schedule a retry.
 */
describe.skipIf(!pg.ok)('PostgreSQL delivery queue: leases counted, not kept in a counter', () => {
  let scratch: ScratchDatabase;
  let store: Store;
  let pool: PgPool;
  const dest = async () =>
    (await poolReader(pool).one<{ in_flight: number; next_due_at: number | null; xmin: string }>(
      'SELECT in_flight, next_due_at, xmin::text AS xmin FROM destinations',
    ))!;

  beforeAll(async () => {
    scratch = await createScratchDatabase(pg.ok ? pg.url : '');
    store = await openPostgresStore(scratch.url, { poolSize: 4 });
    pool = createPool(scratch.url, 2);
  });
  beforeEach(async () => {
    await scratch.truncate();
    await store.ensureProject({ id: 'p1', name: 'p1', createdAt: T0 });
    await store.createWebhook(webhookRecord('wh1'));
  });
  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await scratch?.drop();
  });

  it('marks a destination full at its cap, skips it, and frees it with the next attempt record', async () => {
    for (let i = 0; i < 4; i++) await emit(store);
    const first = await claim(store);
    expect(first).toHaveLength(CAP);
    expect((await dest()).in_flight).toBe(CAP);
    expect(await claim(store)).toEqual([]);
    expect(await store.nextDueAt(CAP)).toBeNull(); // the engine's timer does not spin on it

    await finish(store, first[0]!);
    expect((await dest()).in_flight).toBe(0);
    const next = await claim(store);
    expect(next).toHaveLength(1); // one lease left in flight: room for exactly one
    expect((await dest()).in_flight).toBe(CAP);
  });

  it('answers when to look again in the claim itself, as a read right after it would', async () => {
    await store.createWebhook(webhookRecord('wh2', { subscribedEvents: ['job.later'] }));
    const claimAt = async (now: number, projectShare?: { max: number; inFlight: Map<string, number> }) => {
      const r = await store.claimDue({
        now,
        limit: 100,
        maxPerDestination: CAP,
        leaseMs: 30_000,
        owner: 'w1',
        ...(projectShare ? { projectShare } : {}),
      });
      return { leased: r.deliveries.length, next: r.nextDueAt };
    };
    await emit(store); // wh1, due now
    await emit(store, 'job.done', T0 + 300); // wh1, later: the visited destination's new bound
    await emit(store, 'job.later', T0 + 500); // wh2: a destination the claim does not visit
    expect(await claimAt(T0)).toEqual({ leased: 1, next: T0 + 300 });
    expect(await store.nextDueAt(CAP)).toBe(T0 + 300);

    // At its cap, a destination is left out: only wh2's time remains.
    await emit(store, 'job.done', T0 + 300);
    expect(await claimAt(T0 + 300)).toEqual({ leased: 1, next: T0 + 500 });
    expect(await store.nextDueAt(CAP)).toBe(T0 + 500);

    // Projects at their share are left out, as the claim left them out.
    expect(await claimAt(T0 + 400, { max: 1, inFlight: new Map([['p1', 1]]) })).toEqual({ leased: 0, next: null });
    expect(await store.nextDueAt(CAP, ['p1'])).toBeNull();
  });

  it('leaves the row alone (not even locked) for a success at a destination that is not full', async () => {
    await emit(store);
    await emit(store);
    await emit(store);
    const [d] = await store
      .claimDue({ now: T0, limit: 1, maxPerDestination: CAP, leaseMs: 30_000, owner: 'w1' })
      .then((r) => r.deliveries);
    const before = await dest();
    expect(before.in_flight).toBe(0);
    await finish(store, d!);
    expect((await dest()).xmin).toBe(before.xmin); // no new row version
  });

  it('lowers the lower bound for a retry, so the retry falls due', async () => {
    await emit(store);
    const [d] = await claim(store);
    expect((await dest()).next_due_at).toBeNull();
    await finish(store, d!, T0 + 5_000);
    expect((await dest()).next_due_at).toBe(T0 + 5_000);
    expect(await claim(store, T0 + 5_000)).toHaveLength(1);
  });

  it('records a lease nobody touched in one statement of its own, and leaves one that changed hands', async () => {
    await emit(store);
    await emit(store);
    const [a, b] = await claim(store);
    // b's lease expires and another process leases it again: its row no longer matches what w1 holds.
    await pool.query(`UPDATE deliveries SET lease_owner = 'w2' WHERE id = $1`, [b!.id]);
    const input = (d: ClaimedDelivery) => ({
      delivery: d,
      now: T0 + 1,
      outcome: { status: 'succeeded' as const },
      attempt: {
        deliveryId: d.id,
        number: 1,
        trigger: 'scheduled' as const,
        startedAt: T0,
        durationMs: 1,
        statusCode: 200,
        errorCode: null,
        errorMessage: null,
        responseExcerpt: null,
      },
    });
    const left = await recordLeasedAttempts(poolStatements(pool), [input(a!), input(b!)], undefined);
    expect(left.map((i) => i.delivery.id)).toEqual([b!.id]);
    const rows = await poolReader(pool).rows<{ id: string; status: string; attempts: number }>(
      `SELECT d.id, d.status, (SELECT count(*)::int FROM attempts WHERE delivery_id = d.id) AS attempts
       FROM deliveries d ORDER BY d.id`,
    );
    expect(rows.find((r) => r.id === a!.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(rows.find((r) => r.id === b!.id)).toMatchObject({ status: 'in_flight', attempts: 0 });
    expect((await dest()).in_flight).toBe(0); // a's end cleared the full mark (both leases filled it)
    // The store records what the short way left, the long way: the attempt is kept, w2's lease too.
    await store.completeAttempt(input(b!));
    const got = await store.getDelivery('p1', b!.id);
    expect(got!.delivery.status).toBe('in_flight');
    expect(got!.attempts).toHaveLength(1);
  });

  it('clears a full mark no lease backs any more in the reaper round', async () => {
    await emit(store);
    await pool.query('UPDATE destinations SET in_flight = 7, next_due_at = $1', [T0]);
    expect(await claim(store)).toEqual([]);
    await store.releaseExpiredLeases(T0);
    expect((await dest()).in_flight).toBe(0);
    expect(await claim(store)).toHaveLength(1);
  });

  it('the reaper round skips destination rows another transaction holds, never waits (no deadlock with id-ordered lockers)', async () => {
    await emit(store);
    // A full mark nothing backs, and a lost lower bound (a process died before lowering it).
    await pool.query('UPDATE destinations SET in_flight = 7, next_due_at = NULL');
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM destinations FOR UPDATE');
      await store.releaseExpiredLeases(T0); // waiting here would time the test out
      expect(await dest()).toMatchObject({ in_flight: 7, next_due_at: null }); // skipped: held
      await holder.query('COMMIT');
    } finally {
      holder.release();
    }
    await store.releaseExpiredLeases(T0);
    expect(await dest()).toMatchObject({ in_flight: 0, next_due_at: T0 }); // healed in the next round
    expect(await claim(store)).toHaveLength(1);
  });

  it('leaves the row alone for an emit to a destination already due (no lock, no write)', async () => {
    await emit(store);
    const before = await dest();
    expect(before.next_due_at).toBe(T0);
    await emit(store);
    expect((await dest()).xmin).toBe(before.xmin);
    expect(await claim(store)).toHaveLength(2);
  });

  it('gives the bound back after a claim that raised it from a snapshot missing a later emit', async () => {
    await emit(store);
    const [p1] = await poolReader(pool).rows<{ id: string }>('SELECT id FROM deliveries');
    // Hold p1 so the claim stops after taking its snapshot (and the destination row).
    const blocker = await pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM deliveries WHERE id = $1 FOR UPDATE', [p1!.id]);
      const claiming = claim(store);
      await lockWaiter(pool, 'the claim never waited on the held delivery');
      // The emit commits while the claim holds the destination: the bound still looks due, so the
      // emit leaves it (and does not wait for the claim).
      await emit(store);
      await blocker.query('COMMIT');
      const got = await claiming;
      expect(got.map((d) => d.id)).toEqual([p1!.id]); // its snapshot predates the second delivery
    } finally {
      blocker.release();
    }
    // The claim computed "nothing pending" from its snapshot; its recheck after commit saw the emit.
    expect((await dest()).next_due_at).toBe(T0);
    expect(await claim(store)).toHaveLength(1);
  });
});
