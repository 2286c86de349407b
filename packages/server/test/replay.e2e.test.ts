import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplayService } from '../src/services/replay-service.js';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

// One suite, run against every store (SQLite; PostgreSQL when reachable).
const backends = await testBackends('replay end to end');
let backend = backends[0]!;

let herald: TestHerald | undefined;
const receivers: Receiver[] = [];

afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
  await herald?.close();
  herald = undefined;
});

interface DeliveryView {
  id: string;
  event_id: string;
  message_id: string;
  status: string;
  status_reason?: string;
  attempts?: { number: number; trigger: string; status_code?: number }[];
}

async function setup(clock?: ManualClock) {
  const rx = await startReceiver(() => ({ status: 410 }));
  receivers.push(rx);
  const h = await startTestHerald({ config: backend.config, ...(clock ? { clock } : {}) });
  herald = h;
  const wh = await h.api<{ id: string; new_signing_secret: string }>('POST', '/v1beta/webhooks', {
    name: 'replayed',
    uri: rx.url,
    subscribed_events: ['invoice.ready'],
  });
  expect(wh.status).toBe(200);
  return { h, rx, wh: wh.body };
}

const emit = (h: TestHerald, id: string) =>
  h.api<{ id: string; message_id: string }>('POST', '/v1beta/events', { type: 'invoice.ready', data: { id } });

const deliveries = async (h: TestHerald, webhookId: string) =>
  (await h.api<{ deliveries: DeliveryView[] }>('GET', `/v1beta/deliveries?webhook=${webhookId}`)).body.deliveries;

describe.each(backends)('POST /v1beta/webhooks/{id}:replay: $name', (b) => {
  beforeEach(async () => {
    backend = b;
    await b.reset();
  });

  it('replays a failed delivery and the events missed while disabled, same webhook-id, to a real receiver', async () => {
    const { h, rx, wh } = await setup();
    const since = new Date(Date.now() - 60_000).toISOString();
    // The endpoint answers 410 Gone: the delivery fails and Herald disables the webhook.
    const first = await emit(h, 'inv_1');
    await h.waitForAttempts(1);
    expect((await h.api<{ state: string }>('GET', `/v1beta/webhooks/${wh.id}`)).body.state).toBe(
      'disabled_due_to_failed_deliveries',
    );
    // Events while it is disabled are not queued to it at all.
    const missed = [await emit(h, 'inv_2'), await emit(h, 'inv_3')];
    expect(await deliveries(h, wh.id)).toHaveLength(1);

    const refused = await h.api<{ error: { status: string; message: string } }>(
      'POST',
      `/v1beta/webhooks/${wh.id}:replay`,
      { since },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.status).toBe('FAILED_PRECONDITION');
    expect(refused.body.error.message).toMatch(/enable it/);

    // The receiver is fixed; enable, then replay since before the outage.
    rx.respond = () => ({ status: 200, body: 'ok' });
    expect((await h.api('PATCH', `/v1beta/webhooks/${wh.id}`, { state: 'enabled' })).status).toBe(200);
    const res = await h.api('POST', `/v1/webhooks/${wh.id}:replay`, { since });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ replayed: 3, requeued: 1, created: 2, truncated: false });

    const reqs = (await rx.waitFor(4)).slice(1);
    await h.waitForAttempts(4);
    const ids = reqs.map((r) => r.headers['webhook-id']).sort();
    expect(ids).toEqual([first.body.message_id, ...missed.map((m) => m.body.message_id)].sort());
    for (const r of reqs)
      new StandardWebhook(wh.new_signing_secret).verify(r.body, r.headers as Record<string, string>);
    expect(reqs.map((r) => (JSON.parse(r.body) as { data: { id: string } }).data.id).sort()).toEqual([
      'inv_1',
      'inv_2',
      'inv_3',
    ]);

    const rows = await deliveries(h, wh.id);
    expect(rows).toHaveLength(3);
    expect(rows.every((d) => d.status === 'succeeded')).toBe(true);
    const original = rows.find((d) => d.event_id === first.body.id)!;
    const detail = await h.api<DeliveryView>('GET', `/v1beta/deliveries/${original.id}`);
    expect(detail.body.attempts!.map((a) => [a.number, a.trigger, a.status_code])).toEqual([
      [1, 'scheduled', 410],
      [2, 'replay', 200],
    ]);

    // Nothing failed any more: a second replay is a no-op; only_failed=false resends all three.
    expect((await h.api('POST', `/v1beta/webhooks/${wh.id}:replay`, { since })).body).toMatchObject({ replayed: 0 });
    expect((await h.api('POST', `/v1beta/webhooks/${wh.id}:replay`, { since, only_failed: false })).body).toMatchObject(
      { replayed: 3, requeued: 3 },
    );
    await rx.waitFor(7);
  });

  it('makes one attempt per replayed delivery: a replay that fails again is not retried', async () => {
    const clock = new ManualClock();
    const { h, rx, wh } = await setup(clock);
    const since = new Date(clock.now() - 1000).toISOString();
    await emit(h, 'inv_1');
    await h.waitForAttempts(1);
    rx.respond = () => ({ status: 500, body: 'still broken' });
    await h.api('PATCH', `/v1beta/webhooks/${wh.id}`, { state: 'enabled' });
    expect((await h.api('POST', `/v1beta/webhooks/${wh.id}:replay`, { since })).body).toMatchObject({ replayed: 1 });
    await h.waitForAttempts(2);
    const [d] = await deliveries(h, wh.id);
    expect(d).toMatchObject({ status: 'failed', status_reason: 'replay_attempt_failed' });
    clock.advance(3_600_000);
    expect(rx.requests).toHaveLength(2);
    expect((await h.api<{ state: string }>('GET', `/v1beta/webhooks/${wh.id}`)).body.state).toBe('enabled');
  });

  it('rejects bad input with a message that says what to fix', async () => {
    const { h, wh } = await setup();
    const cases: [unknown, number, RegExp][] = [
      [{}, 400, /since/],
      [{ since: 'yesterday' }, 400, /RFC 3339/],
      [{ since: '2026-05-04T12:00:00' }, 400, /with a zone/],
      [{ since: new Date(Date.now() + 3_600_000).toISOString() }, 400, /future/],
      [{ since: '2026-05-04T12:00:00Z', until: '2026-05-04T11:00:00Z' }, 400, /until must be after since/],
      [{ since: '2026-05-04T12:00:00Z', only_failed: 'yes' }, 400, /only_failed/],
      [{ since: '2026-05-04T12:00:00Z', extra: 1 }, 400, /extra|additional/i],
    ];
    for (const [body, status, message] of cases) {
      const r = await h.api<{ error: { message: string } }>('POST', `/v1beta/webhooks/${wh.id}:replay`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.message, JSON.stringify(body)).toMatch(message);
    }
    const missing = await h.api<{ error: { status: string } }>('POST', '/v1beta/webhooks/nope:replay', {
      since: '2026-05-04T12:00:00Z',
    });
    expect(missing.status).toBe(404);
    expect(
      (
        await h.api(
          'POST',
          `/v1beta/webhooks/${wh.id}:replay`,
          { since: '2026-05-04T12:00:00Z' },
          { 'x-goog-api-key': 'bad' },
        )
      ).status,
    ).toBe(400);
  });

  it('reports truncated with next_since when more than the limit remain', async () => {
    const clock = new ManualClock();
    const { h, rx, wh } = await setup(clock);
    const since = clock.now() - 1000;
    await emit(h, 'inv_0');
    await h.waitForAttempts(1); // 410: disabled
    for (let i = 1; i <= 4; i++) {
      clock.advance(1000);
      await emit(h, `inv_${i}`);
    }
    // The engine delivers each page as soon as it is replayed: the receiver is fixed first, so those
    // attempts succeed and the webhook stays enabled whichever runs first, the engine or the next page.
    rx.respond = () => ({ status: 200, body: 'ok' });
    await h.herald.webhooks.update(h.herald.projectId, wh.id, { state: 'enabled' });
    const service = new ReplayService({ store: h.herald.store, clock, timeScale: 1, maxReplay: 2 });
    const r = await service.replay(h.herald.projectId, wh.id, { since: new Date(since).toISOString() });
    expect(r).toMatchObject({ replayed: 2, truncated: true });
    const r2 = await service.replay(h.herald.projectId, wh.id, { since: r.nextSince! });
    expect(r2).toMatchObject({ replayed: 2, truncated: true });
    const r3 = await service.replay(h.herald.projectId, wh.id, { since: r2.nextSince! });
    expect(r3).toMatchObject({ replayed: 1, truncated: false, nextSince: undefined });
    // The three pages together are the five events, each delivered once more.
    await h.waitForAttempts(6);
    const replayed = (await rx.waitFor(6))
      .slice(1)
      .map((q) => (JSON.parse(q.body) as { data: { id: string } }).data.id);
    expect(replayed.sort()).toEqual(['inv_0', 'inv_1', 'inv_2', 'inv_3', 'inv_4']);
  });
});
