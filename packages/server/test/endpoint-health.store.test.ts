import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEndpointHealth, DISABLE_REASONS } from '../src/delivery/endpoint-health.js';
import { buildEvent } from '../src/model/build-event.js';
import type { AttemptOutcome, ClaimedDelivery } from '../src/model/records.js';
import type { EndpointHealthPolicy } from '../src/ports/endpoint-health.js';
import type { Store } from '../src/ports/store.js';
import { openPostgresStore } from '../src/store/postgres/open-postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.js';
import { createScratchDatabase, pgTestAvailability } from '../src/testing/pg-scratch.js';
import { webhookRecord } from '../src/testing/webhook-record.js';

/**
 * How both dialects apply the endpoint-health decision in `completeAttempt`: the webhook's state,
 * the cancellation of its pending deliveries and the `webhook.disabled` event with its own
 * deliveries, in the attempt's transaction. (The rule alone: delivery/endpoint-health.test.ts.)
 */
type Open = (dir: string, endpointHealth?: EndpointHealthPolicy) => Promise<Store>;
const factories: { name: string; open: Open }[] = [
  {
    name: 'sqlite',
    open: (dir, endpointHealth) => openSqliteStore(join(dir, 'herald.db'), endpointHealth ? { endpointHealth } : {}),
  },
];
const pg = await pgTestAvailability();
if (pg.ok) {
  const scratch = await createScratchDatabase(pg.url);
  afterAll(() => scratch.drop());
  factories.push({
    name: 'postgres',
    open: async (_dir, endpointHealth) => {
      const store = await openPostgresStore(scratch.url, {
        poolSize: 2,
        ...(endpointHealth ? { endpointHealth } : {}),
      });
      await scratch.truncate();
      return store;
    },
  });
} else {
  console.warn(`endpoint health store: postgres skipped: ${pg.reason}`);
  describe.skip(`endpoint health store: postgres (skipped: ${pg.reason})`, () => {
    it('needs PostgreSQL', () => {});
  });
}

const T0 = 1_800_000_000_000;
const H = 3_600_000;

const webhook = (id: string, events: string[]) => webhookRecord(id, { subscribedEvents: events, secrets: [] });

const fail = (store: Store, d: ClaimedDelivery, outcome: AttemptOutcome, now: number) =>
  store.completeAttempt({
    delivery: d,
    now,
    outcome,
    attempt: {
      deliveryId: d.id,
      number: d.attemptCount + 1,
      trigger: 'scheduled',
      startedAt: now,
      durationMs: 1,
      statusCode: 410,
      errorCode: null,
      errorMessage: null,
      responseExcerpt: null,
    },
  });

for (const f of factories) {
  describe(`endpoint health in the store: ${f.name}`, () => {
    let dir: string;
    let store: Store | undefined;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'herald-health-'));
    });
    afterEach(async () => {
      await store?.close();
      store = undefined;
      rmSync(dir, { recursive: true, force: true });
    });

    /** Webhook `a` gets two job.done deliveries (one leased, one pending); `b` subscribes to webhook.disabled. */
    async function setUp(endpointHealth?: EndpointHealthPolicy): Promise<{ s: Store; leased: ClaimedDelivery }> {
      const s = await f.open(dir, endpointHealth);
      store = s;
      await s.ensureProject({ id: 'p1', name: 'p1', createdAt: T0 });
      await s.createWebhook(webhook('wh_a', ['job.done']));
      await s.createWebhook(webhook('wh_b', ['webhook.disabled']));
      for (let i = 0; i < 2; i++) {
        const ev = buildEvent({
          projectId: 'p1',
          type: 'job.done',
          data: { i },
          now: T0,
          target: { kind: 'subscribers' },
          timeScale: 1,
        });
        await s.emitEvent(ev);
      }
      const claimed = await s
        .claimDue({ now: T0, limit: 10, maxPerDestination: 1, leaseMs: 30_000, owner: 'w1' })
        .then((r) => r.deliveries);
      expect(claimed).toHaveLength(1);
      return { s, leased: claimed[0]! };
    }

    it('a 410 Gone disables the webhook, cancels its pending deliveries and emits webhook.disabled to subscribers', async () => {
      const { s, leased } = await setUp(createEndpointHealth({ timeScale: 1 }));
      await fail(s, leased, { status: 'failed', reason: 'gone' }, T0 + 1000);

      expect((await s.getWebhook('p1', 'wh_a', T0 + 1000))?.state).toBe('disabled_due_to_failed_deliveries');
      const toA = await s.listDeliveries('p1', { webhookId: 'wh_a', pageSize: 10 });
      expect(toA.map((d) => [d.status, d.statusReason]).sort()).toEqual([
        ['cancelled', 'webhook_disabled'],
        ['failed', 'gone'],
      ]);
      const disabled = await s.listEvents('p1', { afterSequence: 0, types: ['webhook.disabled'], pageSize: 10 });
      expect(disabled).toHaveLength(1);
      expect(JSON.parse(disabled[0]!.body)).toMatchObject({ data: { id: 'wh_a', reason: DISABLE_REASONS.gone } });
      const toB = await s.listDeliveries('p1', { webhookId: 'wh_b', pageSize: 10 });
      expect(toB.map((d) => [d.status, d.eventId])).toEqual([['pending', disabled[0]!.id]]);
      expect((await s.deliveryStats()).disabledWebhooks).toBe(1);
    });

    it('an exhausted delivery disables only after 24 h without a success', async () => {
      const { s, leased } = await setUp(createEndpointHealth({ timeScale: 1 }));
      await fail(s, leased, { status: 'failed', reason: 'exhausted' }, T0 + 24 * H - 1);
      expect((await s.getWebhook('p1', 'wh_a', T0))?.state).toBe('enabled');
      const [next] = await s
        .claimDue({
          now: T0 + 24 * H,
          limit: 10,
          maxPerDestination: 1,
          leaseMs: 30_000,
          owner: 'w1',
        })
        .then((r) => r.deliveries);
      await fail(s, next!, { status: 'failed', reason: 'exhausted' }, T0 + 24 * H);
      expect((await s.getWebhook('p1', 'wh_a', T0))?.state).toBe('disabled_due_to_failed_deliveries');
    });

    it('without a policy, the store never disables a webhook', async () => {
      const { s, leased } = await setUp();
      await fail(s, leased, { status: 'failed', reason: 'gone' }, T0 + 1000);
      expect((await s.getWebhook('p1', 'wh_a', T0))?.state).toBe('enabled');
      expect(await s.listEvents('p1', { afterSequence: 0, types: ['webhook.disabled'], pageSize: 10 })).toEqual([]);
    });
  });
}
