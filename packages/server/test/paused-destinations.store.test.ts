import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEvent } from '../src/model/build-event.js';
import type { PausedDestination } from '../src/ports/delivery-queue.js';
import type { Store } from '../src/ports/store.js';
import { openPostgresStore } from '../src/store/postgres/open-postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.js';
import { createScratchDatabase, pgTestAvailability } from '../src/testing/pg-scratch.js';
import { webhookRecord } from '../src/testing/webhook-record.js';

/**
 * ClaimInput.paused, per dialect: a destination the engine will not attempt (an open circuit) is
 * parked by the claim itself — none of its deliveries leased, none rewritten — and its backlog is
 * claimed as usual once the pause is over.
 */
const factories: { name: string; open: (dir: string) => Promise<Store> }[] = [
  { name: 'sqlite', open: (dir) => openSqliteStore(join(dir, 'herald.db')) },
];
const pgAvailable = await pgTestAvailability();
if (pgAvailable.ok) {
  const scratch = await createScratchDatabase(pgAvailable.url);
  afterAll(() => scratch.drop());
  factories.push({
    name: 'postgres',
    open: async () => {
      const store = await openPostgresStore(scratch.url, { poolSize: 4 });
      await scratch.truncate();
      return store;
    },
  });
} else {
  describe.skip(`paused destinations: postgres (skipped: ${pgAvailable.reason})`, () => {
    it('needs PostgreSQL', () => {});
  });
}

const T0 = 1_800_000_000_000;
const PAUSE_END = T0 + 5_000;

const webhook = (id: string) => webhookRecord(id);

const emitAt = (store: Store, now: number) =>
  store.emitEvent(
    buildEvent({ projectId: 'p1', type: 'job.done', data: {}, now, target: { kind: 'subscribers' }, timeScale: 1 }),
  );

for (const f of factories) {
  describe(`paused destinations: ${f.name}`, () => {
    let dir: string;
    let store: Store;
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'herald-paused-'));
      store = await f.open(dir);
      await store.ensureProject({ id: 'p1', name: 'p1', createdAt: T0 });
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const claim = (now: number, paused: PausedDestination[] = [], probeOnly: string[] = []) =>
      store
        .claimDue({ now, limit: 100, maxPerDestination: 10, leaseMs: 30_000, owner: 'w1', paused, probeOnly })
        .then((r) => r.deliveries);
    const deliveriesOf = async (webhookId: string) =>
      (await store.listDeliveries('p1', { pageSize: 100 })).filter((d) => d.webhookId === webhookId);

    it('leases and rewrites none of a paused destination, parks it until the pause end, then serves it', async () => {
      await store.createWebhook(webhook('dead'));
      for (let i = 0; i < 3; i++) await emitAt(store, T0);
      await store.createWebhook(webhook('live'));
      await emitAt(store, T0);
      const paused = [{ destinationId: 'wh:dead', until: PAUSE_END }];

      const first = await claim(T0 + 10, paused);
      expect(first.map((d) => d.webhookId)).toEqual(['live']);
      // A new event for the paused destination makes it look due again; the next claim re-parks it.
      await emitAt(store, T0 + 20);
      expect((await claim(T0 + 30, paused)).map((d) => d.webhookId)).toEqual(['live']);
      const during = await deliveriesOf('dead');
      expect(during).toHaveLength(5);
      expect(during.every((d) => d.status === 'pending' && d.attemptCount === 0 && d.updatedAt <= T0 + 20)).toBe(true);
      // The engine's timer wakes at the pause end, not before.
      expect(await store.nextDueAt(10)).toBe(PAUSE_END);
      expect(await claim(PAUSE_END - 1)).toEqual([]);

      const after = await claim(PAUSE_END);
      expect(after.map((d) => d.webhookId)).toEqual(['dead', 'dead', 'dead', 'dead', 'dead']);
      expect(after.map((d) => d.id).sort()).toEqual(during.map((d) => d.id).sort());
    });

    it('leases one delivery (the probe) from a half-open destination, the usual share from others', async () => {
      await store.createWebhook(webhook('dead'));
      await store.createWebhook(webhook('live'));
      for (let i = 0; i < 3; i++) await emitAt(store, T0);
      const got = await claim(T0, [], ['wh:dead']);
      expect(got.map((d) => d.webhookId).sort()).toEqual(['dead', 'live', 'live', 'live']);
      const again = await claim(T0, [], ['wh:dead']);
      expect(again).toEqual([]);
    });
  });
}
