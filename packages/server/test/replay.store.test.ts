import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEvent } from '../src/model/build-event.js';
import { sortableId } from '../src/kernel/sortable-id.js';
import type { AttemptOutcome, ClaimedDelivery, EventTarget } from '../src/model/records.js';
import type { ReplayInput } from '../src/model/replay-records.js';
import { openPostgresStore } from '../src/store/postgres/open-postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.js';
import type { Store } from '../src/ports/store.js';
import { createScratchDatabase, pgTestAvailability } from '../src/testing/pg-scratch.js';
import { webhookRecord } from '../src/testing/webhook-record.js';

/**
 * `replayWebhookDeliveries`, `deliveryOverview` and `listRecentEvents` at the store level,
 * parametrized by store factory so the PostgreSQL store runs the same cases.
 */
const factories: { name: string; open: (dir: string) => Promise<Store> }[] = [
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
  });
} else {
  console.warn(`replay and dashboard reads: postgres skipped: ${pgAvailable.reason}`);
  describe.skip(`replay and dashboard reads: postgres (skipped: ${pgAvailable.reason})`, () => {
    it('needs PostgreSQL', () => {});
  });
}

const T0 = 1_800_000_000_000;
const H = 3_600_000;

const webhook = (id: string, events = ['job.done'], createdAt = T0) =>
  webhookRecord(id, { subscribedEvents: events, createdAt });

for (const f of factories) {
  describe(`replay and dashboard reads: ${f.name}`, () => {
    let dir: string;
    let store: Store;

    const emit = async (
      at: number,
      type = 'job.done',
      target: EventTarget = { kind: 'subscribers' },
      projectId = 'p1',
    ) =>
      (
        await store.emitEvent(
          buildEvent({
            projectId,
            type,
            data: { at },
            now: at,
            target,
            timeScale: 1,
            ...(type === 'operation.progress' ? { supersedeKey: 'op1' } : {}),
          }),
        )
      ).event;

    /** Claims everything due at `now` and settles each claimed delivery with `outcome(d)`. */
    const settleAll = async (
      now: number,
      outcome: (d: ClaimedDelivery) => AttemptOutcome,
      statusCode = 500,
    ): Promise<ClaimedDelivery[]> => {
      const claimed = await store
        .claimDue({ now, limit: 1000, maxPerDestination: 1000, leaseMs: 30_000, owner: 'w' })
        .then((r) => r.deliveries);
      for (const d of claimed) {
        const o = outcome(d);
        await store.completeAttempt({
          delivery: d,
          now,
          outcome: o,
          attempt: {
            deliveryId: d.id,
            number: d.attemptCount + 1,
            trigger: d.nextTrigger,
            startedAt: now,
            durationMs: 10 * (d.attemptCount + 1),
            statusCode: o.status === 'succeeded' ? 200 : statusCode,
            errorCode: null,
            errorMessage: null,
            responseExcerpt: null,
          },
        });
      }
      return claimed;
    };

    const replay = (over: Partial<ReplayInput> = {}) =>
      store.replayWebhookDeliveries({
        projectId: 'p1',
        webhookId: 'w1',
        since: T0,
        until: T0 + 10 * H,
        onlyFailed: true,
        limit: 100,
        now: T0 + 10 * H,
        deadlineAt: T0 + 34 * H,
        newDeliveryId: () => sortableId('dlv_', T0 + 10 * H),
        ...over,
      });

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'herald-replay-'));
      store = await f.open(dir);
      await store.ensureProject({ id: 'p1', name: 'p1', createdAt: T0 });
      await store.ensureProject({ id: 'p2', name: 'p2', createdAt: T0 });
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('requeues failed and cancelled deliveries of the window on the same rows, with trigger replay', async () => {
      await store.createWebhook(webhook('w1'));
      const failed = await emit(T0 + 1 * H);
      const ok = await emit(T0 + 2 * H);
      await settleAll(T0 + 2 * H, (d) =>
        d.eventId === failed.id ? { status: 'failed', reason: 'exhausted' } : { status: 'succeeded' },
      );
      const cancelled = await emit(T0 + 3 * H);
      await store.updateWebhook('p1', 'w1', { state: 'disabled' }, T0 + 3 * H); // cancels the pending one
      await store.updateWebhook('p1', 'w1', { state: 'enabled' }, T0 + 4 * H);
      const before = await store.listDeliveries('p1', { pageSize: 10 });
      expect(before.map((d) => [d.eventId, d.status])).toEqual(
        expect.arrayContaining([
          [failed.id, 'failed'],
          [ok.id, 'succeeded'],
          [cancelled.id, 'cancelled'],
        ]),
      );

      const r = await replay();
      expect(r).toEqual({
        status: 'replayed',
        replayed: 2,
        requeued: 2,
        created: 0,
        truncated: false,
        nextSince: null,
      });
      const after = await store.listDeliveries('p1', { pageSize: 10 });
      expect(after).toHaveLength(3); // same rows, none added
      const byEvent = new Map(after.map((d) => [d.eventId, d]));
      for (const id of [failed.id, cancelled.id]) {
        expect(byEvent.get(id)).toMatchObject({
          status: 'pending',
          nextTrigger: 'replay',
          nextAttemptAt: T0 + 10 * H,
          statusReason: null,
        });
      }
      expect(byEvent.get(ok.id)!.status).toBe('succeeded');

      // The engine sees them due now, with the same message id, and records the attempts on the same row.
      const claimed = await settleAll(T0 + 10 * H, () => ({ status: 'succeeded' }));
      expect(claimed.map((d) => d.nextTrigger)).toEqual(['replay', 'replay']);
      expect(claimed.find((d) => d.eventId === failed.id)!.messageId).toBe(failed.messageId);
      const detail = await store.getDelivery('p1', byEvent.get(failed.id)!.id);
      expect(detail!.attempts.map((a) => [a.number, a.trigger, a.statusCode])).toEqual([
        [1, 'scheduled', 500],
        [2, 'replay', 200],
      ]);
      expect(await replay()).toMatchObject({ replayed: 0 });
    });

    it('with onlyFailed=false also resends succeeded deliveries, never pending or in-flight ones', async () => {
      await store.createWebhook(webhook('w1'));
      await emit(T0 + 1 * H);
      await settleAll(T0 + 1 * H, () => ({ status: 'succeeded' }));
      await emit(T0 + 2 * H); // stays pending
      expect(await replay({ onlyFailed: true })).toMatchObject({ replayed: 0 });
      expect(await replay({ onlyFailed: false })).toMatchObject({ replayed: 1, requeued: 1 });
      const rows = await store.listDeliveries('p1', { pageSize: 10 });
      expect(rows.every((d) => d.status === 'pending')).toBe(true);
    });

    it('honours the window: since inclusive, until exclusive', async () => {
      await store.createWebhook(webhook('w1'));
      const evs = [await emit(T0 + 1 * H), await emit(T0 + 2 * H), await emit(T0 + 3 * H)];
      await settleAll(T0 + 3 * H, () => ({ status: 'failed', reason: 'exhausted' }));
      expect(await replay({ since: T0 + 2 * H, until: T0 + 3 * H })).toMatchObject({ replayed: 1 });
      const pending = await store.listDeliveries('p1', { status: 'pending', pageSize: 10 });
      expect(pending.map((d) => d.eventId)).toEqual([evs[1]!.id]);
    });

    it('creates rows for events the webhook never got: subscribed fan-out events after its creation only', async () => {
      await store.createWebhook(webhook('w0', ['job.done', 'other.thing'])); // keeps the events' deliveries company
      await emit(T0 - 1 * H); // before w1 existed
      await store.createWebhook(webhook('w1', ['job.done'], T0));
      await store.updateWebhook('p1', 'w1', { state: 'disabled' }, T0);
      const missed1 = await emit(T0 + 1 * H);
      const missed2 = await emit(T0 + 2 * H);
      await emit(T0 + 2 * H, 'other.thing'); // not subscribed
      await emit(T0 + 2 * H, 'job.done', { kind: 'uris', uris: ['http://127.0.0.1:9/dyn'] }); // dynamic: not for static webhooks
      await emit(T0 + 2 * H, 'webhook.ping', { kind: 'webhook', webhookId: 'w0' }); // someone else's ping
      await emit(T0 + 2 * H, 'job.done', { kind: 'subscribers' }, 'p2'); // another project
      await store.updateWebhook('p1', 'w1', { state: 'enabled' }, T0 + 3 * H);

      const r = await replay({ since: T0 - 2 * H });
      expect(r).toMatchObject({ replayed: 2, requeued: 0, created: 2 });
      const mine = await store.listDeliveries('p1', { webhookId: 'w1', pageSize: 10 });
      expect(mine.map((d) => d.eventId).sort()).toEqual([missed1.id, missed2.id].sort());
      for (const d of mine) {
        const ev = d.eventId === missed1.id ? missed1 : missed2;
        expect(d).toMatchObject({
          messageId: ev.messageId,
          status: 'pending',
          nextTrigger: 'replay',
          attemptCount: 0,
          destType: 'webhook',
          uri: 'http://127.0.0.1:9/w1',
          deadlineAt: T0 + 34 * H,
        });
      }
      expect((await store.getEvent('p1', missed1.id))!.deliveryCount).toBe(2);
      // Replaying again finds them pending: nothing new.
      expect(await replay({ since: T0 - 2 * H })).toMatchObject({ replayed: 0 });
    });

    it('skips progress events superseded by a newer one', async () => {
      await store.createWebhook(webhook('w1', ['operation.progress']));
      await emit(T0 + 1 * H, 'operation.progress');
      await emit(T0 + 2 * H, 'operation.progress'); // supersedes the first (still pending)
      await settleAll(T0 + 2 * H, () => ({ status: 'failed', reason: 'exhausted' }));
      const rows = await store.listDeliveries('p1', { pageSize: 10 });
      expect(rows.map((d) => d.statusReason).sort()).toEqual(['exhausted', 'superseded']);
      expect(await replay()).toMatchObject({ replayed: 1 });
    });

    it('is bounded: truncated, with the create time of the first event left', async () => {
      await store.createWebhook(webhook('w1'));
      for (let i = 1; i <= 5; i++) await emit(T0 + i * 60_000);
      await settleAll(T0 + H, () => ({ status: 'failed', reason: 'exhausted' }));
      const r = await replay({ limit: 3 });
      expect(r).toEqual({
        status: 'replayed',
        replayed: 3,
        requeued: 3,
        created: 0,
        truncated: true,
        nextSince: T0 + 4 * 60_000,
      });
      expect(await replay({ limit: 3, since: T0 + 4 * 60_000 })).toMatchObject({ replayed: 2, truncated: false });
    });

    it('refuses a missing webhook, another project’s webhook, and a disabled one', async () => {
      expect(await replay({ webhookId: 'nope' })).toEqual({ status: 'not_found' });
      await store.createWebhook(webhook('w1'));
      expect(await replay({ projectId: 'p2' })).toEqual({ status: 'not_found' });
      await store.updateWebhook('p1', 'w1', { state: 'disabled' }, T0);
      expect(await replay()).toEqual({ status: 'not_enabled', state: 'disabled' });
    });

    it('wakes the engine when something was replayed', async () => {
      await store.createWebhook(webhook('w1'));
      await emit(T0 + 1 * H);
      await settleAll(T0 + 1 * H, () => ({ status: 'failed', reason: 'exhausted' }));
      let woken = 0;
      const off = store.subscribe(() => woken++);
      await replay();
      // SQLite wakes in process at once; PostgreSQL through LISTEN/NOTIFY, a moment later.
      await expect.poll(() => woken).toBeGreaterThanOrEqual(1);
      off();
      expect(await store.nextDueAt(16)).toBe(T0 + 10 * H);
    });

    it('deliveryOverview: counts by status in the window, project backlog and percentiles', async () => {
      await store.createWebhook(webhook('w1'));
      for (let i = 0; i < 4; i++) await emit(T0 + i * 1000);
      await settleAll(T0 + 5000, (d) =>
        d.createdAt === T0 ? { status: 'failed', reason: 'exhausted' } : { status: 'succeeded' },
      );
      await emit(T0 + 6000); // pending
      await emit(T0 + 6000, 'job.done', { kind: 'subscribers' }, 'p2'); // other project: not counted
      const o = await store.deliveryOverview('p1', { since: T0 - 1, maxSample: 100 });
      expect(o.deliveries).toEqual({ pending: 1, in_flight: 0, succeeded: 3, failed: 1, cancelled: 0 });
      expect(o.backlog).toEqual({ pending: 1, inFlight: 0, oldestPendingCreatedAt: T0 + 6000 });
      expect(o.attempts).toMatchObject({ count: 4, succeeded: 3, sampled: 4 });
      expect(o.attempts.durationMs).toEqual({ p50: 10, p95: 10, p99: 10 });
      // event at T0+1000/2000/3000 answered at T0+5000+10 ms
      expect(o.attempts.notificationLatencyMs).toEqual({ p50: 3010, p95: 4010, p99: 4010 });
      const later = await store.deliveryOverview('p1', { since: T0 + 5001, maxSample: 100 });
      expect(later.attempts).toMatchObject({ count: 0, durationMs: null, notificationLatencyMs: null });
      expect(later.deliveries.pending).toBe(1);
      const empty = await store.deliveryOverview('p2', { since: T0 + 7000, maxSample: 100 });
      expect(empty.backlog).toEqual({ pending: 0, inFlight: 0, oldestPendingCreatedAt: null });
    });

    it('listRecentEvents: newest first, by type, before a sequence, this project only', async () => {
      // Sequences grow (SQLite: 1, 2, 3 …; PostgreSQL: by transaction id, ADR 0012).
      const s1 = (await emit(T0, 'a.one')).sequence;
      const s2 = (await emit(T0, 'b.two')).sequence;
      const s3 = (await emit(T0, 'a.one')).sequence;
      await emit(T0, 'a.one', { kind: 'subscribers' }, 'p2');
      expect((await store.listRecentEvents('p1', { pageSize: 10 })).map((e) => e.sequence)).toEqual([s3, s2, s1]);
      expect((await store.listRecentEvents('p1', { pageSize: 10, types: ['a.one'] })).map((e) => e.sequence)).toEqual([
        s3,
        s1,
      ]);
      expect((await store.listRecentEvents('p1', { pageSize: 1, beforeSequence: s3 })).map((e) => e.sequence)).toEqual([
        s2,
      ]);
      const op = await store.emitEvent(
        buildEvent({
          projectId: 'p1',
          type: 'operation.progress',
          data: {},
          now: T0,
          target: { kind: 'subscribers' },
          timeScale: 1,
          operation: 'operations/op1',
        }),
      );
      expect(
        (await store.listRecentEvents('p1', { pageSize: 10, operation: 'operations/op1' })).map((e) => e.sequence),
      ).toEqual([op.event.sequence]);
    });
  });
}
