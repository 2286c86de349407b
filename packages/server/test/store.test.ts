import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEvent } from '../src/model/build-event.js';
import type { ClaimedDelivery, WebhookRecord } from '../src/model/records.js';
import { openPostgresStore } from '../src/store/postgres/open-postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.js';
import type { Store } from '../src/ports/store.js';
import { createScratchDatabase, pgTestAvailability } from '../src/testing/pg-scratch.js';
import { webhookRecord } from '../src/testing/webhook-record.js';

/**
 * Store-level behaviour every implementation must have. One suite, parametrized by store
 * factory, so the PostgreSQL store runs the same cases.
 */
const factories: { name: string; open: (dir: string) => Promise<Store>; another?: () => Promise<Store> }[] = [
  { name: 'sqlite', open: (dir) => openSqliteStore(join(dir, 'herald.db')) },
];

// PostgreSQL joins when HERALD_TEST_PG_URL (or 127.0.0.1:5432) answers: one scratch database for
// this file, emptied before each test.
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
    // A second process on the same database (not emptied).
    another: () => openPostgresStore(scratch.url, { poolSize: 2 }),
  });
} else {
  console.warn(`store contract: postgres skipped: ${pgAvailable.reason}`);
  describe.skip(`store contract: postgres (skipped: ${pgAvailable.reason})`, () => {
    it('needs PostgreSQL', () => {});
  });
}

const T0 = 1_800_000_000_000;

const webhook = (id: string, events = ['job.done'], state: WebhookRecord['state'] = 'enabled') =>
  webhookRecord(id, { subscribedEvents: events, state });

/** An `operation.progress` event of project p1 at T0 + n, superseding earlier ones of `key`. */
const progress = (n: number, key = 'progress:op1') =>
  buildEvent({
    projectId: 'p1',
    type: 'operation.progress',
    data: { n },
    now: T0 + n,
    target: { kind: 'subscribers' },
    timeScale: 1,
    supersedeKey: key,
  });
const event = (type = 'job.done', extra: Partial<Parameters<typeof buildEvent>[0]> = {}) =>
  buildEvent({
    projectId: 'p1',
    type,
    data: { n: 1 },
    now: T0,
    target: { kind: 'subscribers' },
    timeScale: 1,
    ...extra,
  });

const claim = (store: Store, over: Partial<Parameters<Store['claimDue']>[0]> = {}) =>
  store
    .claimDue({ now: T0, limit: 100, maxPerDestination: 2, leaseMs: 30_000, owner: 'w1', ...over })
    .then((r) => r.deliveries);

const succeed = (store: Store, d: ClaimedDelivery) =>
  store.completeAttempt({
    delivery: d,
    now: T0 + 1,
    outcome: { status: 'succeeded' },
    attempt: {
      deliveryId: d.id,
      number: d.attemptCount + 1,
      trigger: 'scheduled',
      startedAt: T0,
      durationMs: 1,
      statusCode: 200,
      errorCode: null,
      errorMessage: null,
      responseExcerpt: 'ok',
    },
  });

for (const f of factories) {
  describe(`store contract: ${f.name}`, () => {
    let dir: string;
    let store: Store;
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'herald-store-'));
      store = await f.open(dir);
      await store.ensureProject({ id: 'p1', name: 'p1', createdAt: T0 });
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('fans an event out to enabled subscribers only, in one step, with a per-project sequence', async () => {
      await store.createWebhook(webhook('a'));
      await store.createWebhook(webhook('b', ['other.thing']));
      await store.createWebhook(webhook('c', ['job.done'], 'disabled'));
      const r1 = await store.emitEvent(event());
      const r2 = await store.emitEvent(event());
      expect(r1.event.deliveryCount).toBe(1);
      // SQLite numbers a project's events 1, 2, 3 …; PostgreSQL by transaction id (ADR 0012): both grow.
      if (f.name === 'sqlite') expect([r1.event.sequence, r2.event.sequence]).toEqual([1, 2]);
      expect(r2.event.sequence).toBeGreaterThan(r1.event.sequence);
      const deliveries = await store.listDeliveries('p1', { pageSize: 10 });
      expect(deliveries.map((d) => d.webhookId)).toEqual(['a', 'a']);
      expect(deliveries.every((d) => d.status === 'pending' && d.messageId.startsWith('msg_'))).toBe(true);
    });

    it('returns the original event for a repeated idempotency key and writes nothing', async () => {
      await store.createWebhook(webhook('a'));
      const first = await store.emitEvent(event('job.done', { idempotencyKey: 'k' }));
      const again = await store.emitEvent(event('job.done', { idempotencyKey: 'k' }));
      expect(again.duplicate).toBe(true);
      expect(again.event.id).toBe(first.event.id);
      expect(await store.listDeliveries('p1', { pageSize: 10 })).toHaveLength(1);
    });

    it('commits concurrent emits together but fails a bad one alone', async () => {
      await store.createWebhook(webhook('a'));
      const results = await Promise.allSettled([
        store.emitEvent(event()),
        store.emitEvent({ ...event(), projectId: 'no-such-project' }),
        store.emitEvent(event()),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await store.listDeliveries('p1', { pageSize: 10 })).toHaveLength(2);
      const listed = (await store.listEvents('p1', { afterSequence: 0, pageSize: 10 })).map((e) => e.sequence);
      const emitted = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.event.sequence] : []));
      expect(listed).toEqual(emitted.sort((a, b) => a - b));
      if (f.name === 'sqlite') expect(listed).toEqual([1, 2]);
    });

    it('caps in-flight deliveries per destination and serves every destination', async () => {
      await store.createWebhook(webhook('busy'));
      for (let i = 0; i < 10; i++) await store.emitEvent(event());
      await store.createWebhook(webhook('quiet'));
      await store.emitEvent(event());
      const first = await claim(store);
      const byDest = (c: ClaimedDelivery[]) =>
        c.reduce<Record<string, number>>((m, d) => ({ ...m, [d.webhookId!]: (m[d.webhookId!] ?? 0) + 1 }), {});
      expect(byDest(first)).toEqual({ busy: 2, quiet: 1 });
      expect(await claim(store)).toEqual([]);
      await succeed(
        store,
        first.find((d) => d.webhookId === 'busy')!,
      );
      const next = await claim(store);
      expect(next).toHaveLength(1);
      expect(next[0]!.webhookId).toBe('busy');
      expect(next[0]!.body).toContain('"type":"job.done"');
    });

    it('never leases a delivery twice nor exceeds the cap when claims race (separate connections on PostgreSQL)', async () => {
      for (const id of ['a', 'b', 'c']) await store.createWebhook(webhook(id));
      for (let i = 0; i < 20; i++) await store.emitEvent(event());
      const owners = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6'];
      // Racing claimers skip destinations another one holds (SKIP LOCKED), so keep racing until
      // nothing more can be leased: the caps must then be exactly full, each delivery leased once.
      const all: ClaimedDelivery[] = [];
      for (;;) {
        const round = await Promise.all(owners.map((owner) => claim(store, { owner, limit: 2, maxPerDestination: 3 })));
        if (round.flat().length === 0) break;
        all.push(...round.flat());
      }
      expect(new Set(all.map((d) => d.id)).size).toBe(all.length);
      const perDest = all.reduce<Record<string, number>>(
        (m, d) => ({ ...m, [d.webhookId!]: (m[d.webhookId!] ?? 0) + 1 }),
        {},
      );
      expect(perDest).toEqual({ a: 3, b: 3, c: 3 });
      // Completing frees exactly one slot at that destination, whoever claims next.
      await succeed(
        store,
        all.find((d) => d.webhookId === 'b')!,
      );
      const next = await Promise.all(owners.map((owner) => claim(store, { owner, maxPerDestination: 3 })));
      expect(next.flat().map((d) => d.webhookId)).toEqual(['b']);
    });

    it('returns expired leases to pending and never loses a delivery', async () => {
      await store.createWebhook(webhook('a'));
      await store.emitEvent(event());
      const [d] = await claim(store, { leaseMs: 1000 });
      expect(await claim(store, { now: T0 + 500 })).toEqual([]);
      expect(await store.releaseExpiredLeases(T0 + 500)).toBe(0);
      expect(await store.releaseExpiredLeases(T0 + 1001)).toBe(1);
      const again = await claim(store, { now: T0 + 1001, owner: 'w2' });
      expect(again.map((x) => x.id)).toEqual([d!.id]);
      // The first holder finishing late still records its attempt, and a success settles it.
      await succeed(store, d!);
      const got = await store.getDelivery('p1', d!.id);
      expect(got!.attempts).toHaveLength(1);
    });

    it('reports the next due time, ignoring destinations at their cap', async () => {
      expect(await store.nextDueAt(2)).toBeNull();
      await store.createWebhook(webhook('a'));
      await store.emitEvent(event());
      expect(await store.nextDueAt(2)).toBe(T0);
      const [d] = await claim(store, { maxPerDestination: 1 });
      expect(await store.nextDueAt(1)).toBeNull();
      await store.completeAttempt({
        delivery: d!,
        now: T0 + 10,
        outcome: { status: 'pending', nextAttemptAt: T0 + 5000 },
        attempt: null,
      });
      expect(await store.nextDueAt(1)).toBe(T0 + 5000);
      expect(await claim(store, { now: T0 + 4999 })).toEqual([]);
      expect(await claim(store, { now: T0 + 5000 })).toHaveLength(1);
    });

    it('supersedes pending deliveries with the same key, never in-flight ones', async () => {
      await store.createWebhook(webhook('a', ['operation.progress']));
      const p = progress;
      await store.emitEvent(p(1));
      const [inFlight] = await claim(store, { maxPerDestination: 1, now: T0 + 1 });
      await store.emitEvent(p(2));
      await store.emitEvent(p(3));
      const all = await store.listDeliveries('p1', { pageSize: 10 });
      const statuses = all.map((d) => [d.status, d.statusReason]).reverse();
      expect(statuses).toEqual([
        ['in_flight', null],
        ['cancelled', 'superseded'],
        ['pending', null],
      ]);
      expect(inFlight).toBeDefined();
    });

    it('supersedes within one batch as if each event were written alone: the last of a key stays', async () => {
      await store.createWebhook(webhook('a', ['operation.progress']));
      const p = progress;
      const batch = [p(1), p(2), p(3, 'progress:op2'), p(4)];
      await store.emitEvents(batch);
      const all = await store.listDeliveries('p1', { pageSize: 10 });
      const byEvent = new Map(all.map((d) => [d.eventId, [d.status, d.statusReason]]));
      expect(batch.map((e) => byEvent.get(e.eventId))).toEqual([
        ['cancelled', 'superseded'],
        ['cancelled', 'superseded'],
        ['pending', null],
        ['pending', null],
      ]);
    });

    it('delivers to dynamic URIs as their own destinations', async () => {
      await store.createWebhook(webhook('a'));
      await store.emitEvent(
        buildEvent({
          projectId: 'p1',
          type: 'job.done',
          data: {},
          now: T0,
          timeScale: 1,
          target: { kind: 'uris', uris: ['http://127.0.0.1:1/x', 'http://127.0.0.1:1/y', 'http://127.0.0.1:1/x'] },
        }),
      );
      const claimed = await claim(store, { maxPerDestination: 1 });
      expect(claimed.map((d) => [d.destType, d.uri]).sort()).toEqual([
        ['dynamic', 'http://127.0.0.1:1/x'],
        ['dynamic', 'http://127.0.0.1:1/y'],
      ]);
    });

    it('purges old events with their settled deliveries and attempts, in batches, never unsettled ones', async () => {
      const DAY = 86_400_000;
      await store.createWebhook(webhook('a'));
      const old1 = await store.emitEvent(event());
      const old2 = await store.emitEvent(event());
      const old3 = await store.emitEvent(event());
      const [d1, d2, d3] = await claim(store, { maxPerDestination: 3 });
      await succeed(store, d1!);
      await succeed(store, d2!);
      // d3 stays in flight: its event must survive whatever its age.
      const fresh = await store.emitEvent(event('job.done', { now: T0 + 10 * DAY }));

      const first = await store.purgeBefore({ before: T0 + DAY, limit: 1 });
      expect(first).toEqual({ events: 1, deliveries: 1, attempts: 1 });
      const second = await store.purgeBefore({ before: T0 + DAY, limit: 5 });
      expect(second).toEqual({ events: 1, deliveries: 1, attempts: 1 });
      expect(await store.purgeBefore({ before: T0 + DAY, limit: 5 })).toEqual({
        events: 0,
        deliveries: 0,
        attempts: 0,
      });

      expect(await store.getEvent('p1', old1.event.id)).toBeUndefined();
      expect(await store.getEvent('p1', old2.event.id)).toBeUndefined();
      expect(await store.getDelivery('p1', d1!.id)).toBeUndefined();
      const left = await store.listEvents('p1', { afterSequence: 0, pageSize: 10 });
      expect(left.map((e) => e.id)).toEqual([old3.event.id, fresh.event.id]);
      expect((await store.getDelivery('p1', d3!.id))!.delivery.status).toBe('in_flight');
      // The cursor keeps counting: the next event comes after every purged one (SQLite: sequence 5).
      const next = (await store.emitEvent(event())).event.sequence;
      expect(next).toBeGreaterThan(fresh.event.sequence);
      if (f.name === 'sqlite') expect(next).toBe(5);
    });

    it('fans out to what is subscribed when the event is emitted, whatever changed the webhooks', async () => {
      // Subscriptions are served from memory (store/subscription-cache.ts), checked against a
      // generation that database triggers change with every webhook change.
      const fanOut = async (s: Store = store) => (await s.emitEvent(event())).event.deliveryCount;
      expect(await fanOut()).toBe(0);
      await store.createWebhook(webhook('a'));
      expect(await fanOut()).toBe(1);
      await store.createWebhook(webhook('b', ['other.thing']));
      expect(await fanOut()).toBe(1);
      await store.updateWebhook('p1', 'b', { subscribedEvents: ['other.thing', 'job.done'] }, T0);
      expect(await fanOut()).toBe(2);
      await store.updateWebhook('p1', 'a', { state: 'disabled' }, T0);
      expect(await fanOut()).toBe(1);
      await store.updateWebhook('p1', 'a', { state: 'enabled' }, T0);
      expect(await fanOut()).toBe(2);
      await store.updateWebhook('p1', 'b', { uri: 'http://127.0.0.1:9/moved' }, T0);
      await store.emitEvent(event());
      const newest = await store.listDeliveries('p1', { pageSize: 1000 });
      expect(newest.filter((d) => d.webhookId === 'b').map((d) => d.uri)).toContain('http://127.0.0.1:9/moved');
      await store.deleteWebhook('p1', 'a', T0);
      expect(await fanOut()).toBe(1);
      // A name change is not a subscription change, and changes nothing.
      await store.updateWebhook('p1', 'b', { name: 'renamed' }, T0);
      expect(await fanOut()).toBe(1);

      if (f.another) {
        // Another process sharing the database sees this one's changes, and the other way round.
        const other = await f.another();
        try {
          expect(await fanOut(other)).toBe(1);
          await other.createWebhook(webhook('c'));
          expect(await fanOut()).toBe(2);
          await store.updateWebhook('p1', 'c', { subscribedEvents: ['other.thing'] }, T0);
          expect(await fanOut(other)).toBe(1);
        } finally {
          await other.close();
        }
      }
    });

    it('cancels pending deliveries when a webhook is disabled or deleted', async () => {
      await store.createWebhook(webhook('a'));
      await store.createWebhook(webhook('b'));
      await store.emitEvent(event());
      await store.updateWebhook('p1', 'a', { state: 'disabled' }, T0);
      await store.deleteWebhook('p1', 'b', T0);
      const all = await store.listDeliveries('p1', { pageSize: 10 });
      expect(all.map((d) => d.statusReason).sort()).toEqual(['webhook_deleted', 'webhook_disabled']);
      expect(await claim(store)).toEqual([]);
    });
  });
}
