import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../ports/store.js';
import { engineStandIn } from '../../testing/engine-stand-in.js';
import { createScratchDatabase, pgTestAvailability, type ScratchDatabase } from '../../testing/pg-scratch.js';
import { storeEvent } from '../../testing/store-event.js';
import { STORE_T0 } from '../../testing/webhook-record.js';
import { openPostgresStore } from './open-postgres-store.js';

const pg = await pgTestAvailability();
if (!pg.ok) console.warn(`PostgreSQL direct dispatch: skipped: ${pg.reason}`);

const T0 = STORE_T0;
const event = () => storeEvent({ data: { n: 1 } });
const claim = (store: Store, owner = 'w2', cap = 2) =>
  store.claimDue({ now: T0, limit: 10, maxPerDestination: cap, leaseMs: 30_000, owner }).then((r) => r.deliveries);

describe.skipIf(!pg.ok)('direct dispatch (PostgreSQL)', () => {
  let scratch: ScratchDatabase;
  let store: Store;
  beforeAll(async () => {
    scratch = await createScratchDatabase(pg.ok ? pg.url : '');
    store = await openPostgresStore(scratch.url, { poolSize: 4 });
  });
  beforeEach(async () => {
    store.setDirectDispatch?.(undefined);
    await scratch.truncate();
    await store.ensureProject({ id: 'p1', name: 'p1', createdAt: T0 });
    await store.createWebhook({
      id: 'a',
      projectId: 'p1',
      name: 'a',
      uri: 'http://127.0.0.1:9/a',
      subscribedEvents: ['job.done'],
      state: 'enabled',
      createdAt: T0,
      updatedAt: T0,
      lastSuccessAt: null,
      secrets: [{ id: 'sec_a', sealed: 'sealed', truncated: 'whsec_...abcd', createdAt: T0, expireAt: null }],
    });
  });
  afterAll(async () => {
    await store?.close();
    await scratch?.drop();
  });

  it('hands a fresh delivery to the engine already leased, with its body; nobody else can claim it', async () => {
    const e = engineStandIn();
    store.setDirectDispatch?.(e);
    const ev = event();
    await store.emitEvent(ev);
    expect(e.got).toHaveLength(1);
    expect(e.got[0]).toMatchObject({
      status: 'in_flight',
      webhookId: 'a',
      leaseOwner: 'engine-1',
      body: ev.body,
      webhookState: 'enabled',
      attemptCount: 0,
    });
    expect(await claim(store)).toEqual([]);
    expect((await store.getDelivery('p1', e.got[0]!.id))?.delivery.status).toBe('in_flight');
  });

  it('writes pending, for claims, past the per-destination cap or the engine’s room', async () => {
    const e = engineStandIn(100, 2);
    store.setDirectDispatch?.(e);
    for (let i = 0; i < 3; i++) await store.emitEvent(event());
    expect(e.got).toHaveLength(2); // the cap, counted across direct leases
    expect(await claim(store, 'w2', 3)).toHaveLength(1);
    const tight = engineStandIn(0);
    store.setDirectDispatch?.(tight);
    await store.emitEvent(event());
    expect(tight.got).toEqual([]);
  });

  it('counts the leases of earlier events of the same batch (written together in one statement) towards the cap', async () => {
    const e = engineStandIn(100, 2);
    store.setDirectDispatch?.(e);
    const batch = Array.from({ length: 5 }, () => event());
    await store.emitEvents(batch);
    // The first two events of the batch go direct, in order; the rest wait for the claim.
    expect(e.got.map((d) => d.eventId)).toEqual([batch[0]!.eventId, batch[1]!.eventId]);
    expect(await claim(store, 'w2', 2)).toEqual([]); // full: two leases already
    const next = await claim(store, 'w2', 5);
    expect(next.map((d) => d.eventId)).toEqual(batch.slice(2).map((b) => b.eventId));
  });

  it('never lets a fresh delivery overtake one already pending for the same destination', async () => {
    await store.emitEvent(event()); // no engine yet: pending
    const e = engineStandIn();
    store.setDirectDispatch?.(e);
    await store.emitEvent(event());
    expect(e.got).toEqual([]);
    expect(await claim(store)).toHaveLength(2);
  });

  it('never hands out more than the engine’s room, across concurrent emits and batches', async () => {
    const e = engineStandIn(3, 100);
    store.setDirectDispatch?.(e);
    await Promise.all(Array.from({ length: 5 }, () => store.emitEvent(event())));
    await store.emitEvents([event(), event()]);
    // A destination another emit holds is written pending (SKIP LOCKED), so fewer may go direct.
    expect(e.got.length).toBeGreaterThanOrEqual(1);
    expect(e.got.length).toBeLessThanOrEqual(3);
    expect(await claim(store, 'w2', 100)).toHaveLength(7 - e.got.length);
  });

  it('returns the leases to the queue when the engine left before the hand-over', async () => {
    const e = engineStandIn();
    let stop = false;
    // The engine leaves while the emit is in flight: room says yes, then it is gone by the commit.
    store.setDirectDispatch?.({ ...e, room: () => (stop ? 0 : 100) });
    const pending = store.emitEvent(event());
    stop = true;
    store.setDirectDispatch?.(undefined);
    await pending;
    expect(e.got).toEqual([]);
    const claimed = await claim(store);
    expect(claimed.map((d) => d.attemptCount)).toEqual([0]);
  });
});
