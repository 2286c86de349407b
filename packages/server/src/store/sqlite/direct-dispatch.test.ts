import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineStandIn } from '../../testing/engine-stand-in.js';
import { storeEvent } from '../../testing/store-event.js';
import { STORE_T0, webhookRecord } from '../../testing/webhook-record.js';
import { openSqliteStore, type SqliteStore } from './open-sqlite-store.js';

const T0 = STORE_T0;

const event = () => storeEvent({ data: { n: 1 } });

describe('direct dispatch (SQLite)', () => {
  let dir: string;
  let store: SqliteStore;
  let wakes: number;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-direct-'));
    store = await openSqliteStore(join(dir, 'herald.db'));
    await store.ensureProject({ id: 'p1', name: 'p1', createdAt: T0 });
    await store.createWebhook(webhookRecord('a'));
    wakes = 0;
    store.subscribe(() => wakes++);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands a fresh delivery to the engine already leased, with its body, and wakes nobody', async () => {
    const e = engineStandIn();
    store.setDirectDispatch(e);
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
    expect(wakes).toBe(0);
    // The row says the same: nobody else can claim it, and the destination counts it in flight.
    expect(
      await store
        .claimDue({ now: T0, limit: 10, maxPerDestination: 2, leaseMs: 30_000, owner: 'w2' })
        .then((r) => r.deliveries),
    ).toEqual([]);
    expect((await store.getDelivery('p1', e.got[0]!.id))?.delivery.status).toBe('in_flight');
  });

  it('writes pending, for claimDue, past the per-destination cap or the engine’s room', async () => {
    const e = engineStandIn(100, 2);
    store.setDirectDispatch(e);
    for (let i = 0; i < 3; i++) await store.emitEvent(event());
    expect(e.got).toHaveLength(2); // the cap
    expect(wakes).toBe(1);
    const tight = engineStandIn(0);
    store.setDirectDispatch(tight);
    await store.createWebhook(webhookRecord('b'));
    await store.emitEvent(event());
    expect(tight.got).toEqual([]);
  });

  it('never lets a fresh delivery overtake one already pending for the same destination', async () => {
    await store.emitEvent(event()); // no engine yet: pending
    const e = engineStandIn();
    store.setDirectDispatch(e);
    await store.emitEvent(event());
    expect(e.got).toEqual([]);
    const claimed = await store
      .claimDue({ now: T0, limit: 10, maxPerDestination: 2, leaseMs: 30_000, owner: 'w' })
      .then((r) => r.deliveries);
    expect(claimed).toHaveLength(2);
  });

  it('reserves room across the units of one group commit', async () => {
    const e = engineStandIn(3, 100);
    store.setDirectDispatch(e);
    await Promise.all(Array.from({ length: 5 }, () => store.emitEvent(event())));
    expect(e.got).toHaveLength(3);
    const rest = await store
      .claimDue({ now: T0, limit: 10, maxPerDestination: 100, leaseMs: 30_000, owner: 'w' })
      .then((r) => r.deliveries);
    expect(rest).toHaveLength(2);
  });

  it('returns the leases to the queue when the engine left before the commit was durable', async () => {
    const e = engineStandIn();
    store.setDirectDispatch(e);
    const pending = store.emitEvent(event());
    // The group commit runs in this check phase (leasing to the engine), its fsync after: the
    // engine stops in between.
    await new Promise((r) => setImmediate(r));
    expect(await store.getDelivery('p1', (await store.listDeliveries('p1', { pageSize: 1 }))[0]!.id)).toMatchObject({
      delivery: { status: 'in_flight' },
    });
    store.setDirectDispatch(undefined);
    await pending;
    expect(e.got).toEqual([]);
    expect(wakes).toBe(1);
    const claimed = await store
      .claimDue({ now: T0, limit: 10, maxPerDestination: 2, leaseMs: 30_000, owner: 'w' })
      .then((r) => r.deliveries);
    expect(claimed.map((d) => d.attemptCount)).toEqual([0]);
  });

  it('a batch (emitEvents) is all or nothing: a failing item rolls back its siblings, their leases and their notices', async () => {
    const e = engineStandIn();
    store.setDirectDispatch(e);
    const notices: string[] = [];
    store.subscribeEvents((n) => notices.push(n.projectId));
    const bad = { ...event(), projectId: 'no-such-project' };
    await expect(store.emitEvents([event(), bad])).rejects.toThrow(/unknown project/);
    expect(e.got).toHaveLength(0);
    expect(await store.listEvents('p1', { afterSequence: 0, pageSize: 10 })).toEqual([]);
    const ok = await store.emitEvents([event(), event()]);
    expect(ok.map((r) => r.event.sequence)).toEqual([1, 2]);
    expect(notices).toEqual(['p1', 'p1']);
    expect(e.got).toHaveLength(2);
  });
});
