import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald as startHerald, type TestHerald } from '../src/testing/test-herald.js';

// One suite, run against every store (SQLite; PostgreSQL when reachable).
const backends = await testBackends('delivery end to end');
let backend = backends[0]!;
const startTestHerald = (opts: Parameters<typeof startHerald>[0] = {}) =>
  startHerald({ ...opts, config: { ...backend.config, ...opts.config } });

let herald: TestHerald | undefined;
const receivers: Receiver[] = [];

afterEach(async () => {
  // Receivers first: a hanging (black-hole) request then fails fast instead of holding the drain.
  for (const r of receivers.splice(0)) await r.close();
  await herald?.close();
  herald = undefined;
});

async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

async function createWebhook(h: TestHerald, uri: string, events = ['invoice.ready']) {
  const res = await h.api<{ id: string; new_signing_secret: string; state: string }>('POST', '/v1beta/webhooks', {
    name: 'test',
    uri,
    subscribed_events: events,
  });
  expect(res.status).toBe(200);
  return res.body;
}

const emit = (h: TestHerald, type = 'invoice.ready', data: Record<string, unknown> = { id: 'inv_1' }) =>
  h.api<{ id: string; message_id: string }>('POST', '/v1beta/events', { type, data });

describe.each(backends)('delivery end to end: $name', (b) => {
  beforeEach(async () => {
    backend = b;
    await b.reset();
  });

  it('delivers a signed event that the public standardwebhooks package verifies unchanged', async () => {
    const rx = await receiver();
    herald = await startTestHerald();
    const wh = await createWebhook(herald, rx.url);
    expect(wh.new_signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const ev = await emit(herald, 'invoice.ready', { id: 'inv_1', total: 42 });
    expect(ev.status).toBe(200);

    const [req] = await rx.waitFor(1);
    expect(req!.method).toBe('POST');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['webhook-id']).toBe(ev.body.message_id);
    const payload = new StandardWebhook(wh.new_signing_secret).verify(
      req!.body,
      req!.headers as Record<string, string>,
    );
    expect(payload).toMatchObject({ type: 'invoice.ready', version: 'v1', data: { id: 'inv_1', total: 42 } });
    expect(JSON.parse(req!.body).timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);

    await herald.waitForAttempts(1);
    const list = await herald.api<{ deliveries: { status: string; attempt_count: number }[] }>(
      'GET',
      '/v1beta/deliveries',
    );
    expect(list.body.deliveries).toMatchObject([{ status: 'succeeded', attempt_count: 1 }]);
  });

  it('retries 500, 500, 200: delivered on attempt 3 with the same webhook-id and body, new timestamps', async () => {
    const clock = new ManualClock();
    const rx = await receiver((_r, i) => (i < 2 ? { status: 500, body: 'boom' } : { status: 200 }));
    herald = await startTestHerald({ clock, config: { timeScale: 100 } });
    const wh = await createWebhook(herald, rx.url);
    await emit(herald);

    await herald.waitForAttempts(1);
    clock.advance(5_000 / 100); // second attempt after 5 s (scaled)
    await herald.waitForAttempts(2);
    clock.advance(300_000 / 100); // third after 5 min (scaled)
    const attempts = await herald.waitForAttempts(3);
    expect(attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);

    const reqs = await rx.waitFor(3);
    expect(new Set(reqs.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(reqs.map((r) => r.body)).size).toBe(1);
    const stamps = reqs.map((r) => Number(r.headers['webhook-timestamp']));
    expect(stamps[2]! - stamps[0]!).toBeGreaterThanOrEqual(3);
    for (const r of reqs)
      new StandardWebhook(wh.new_signing_secret).verify(r.body, r.headers as Record<string, string>);

    const { body } = await herald.api<{ deliveries: { id: string }[] }>('GET', '/v1beta/deliveries');
    const one = await herald.api<{
      status: string;
      attempts: { number: number; status_code: number; trigger: string; response_excerpt?: string }[];
    }>('GET', `/v1beta/deliveries/${body.deliveries[0]!.id}`);
    expect(one.body.status).toBe('succeeded');
    expect(one.body.attempts.map((a) => [a.number, a.status_code, a.trigger])).toEqual([
      [1, 500, 'scheduled'],
      [2, 500, 'scheduled'],
      [3, 200, 'scheduled'],
    ]);
    expect(one.body.attempts[0]!.response_excerpt).toBe('boom');
  });

  it('honours Retry-After on 429', async () => {
    const clock = new ManualClock();
    const rx = await receiver((_r, i) =>
      i === 0 ? { status: 429, headers: { 'retry-after': '120' } } : { status: 200 },
    );
    herald = await startTestHerald({ clock });
    await createWebhook(herald, rx.url);
    await emit(herald);
    await herald.waitForAttempts(1);
    const { body } = await herald.api<{ deliveries: { next_attempt_time: string; status: string }[] }>(
      'GET',
      '/v1beta/deliveries',
    );
    const next = Date.parse(body.deliveries[0]!.next_attempt_time);
    expect(next - clock.now()).toBeGreaterThanOrEqual(119_000);
    clock.advance(60_000);
    expect(rx.requests).toHaveLength(1);
    clock.advance(60_000);
    await herald.waitForAttempts(2);
    expect(rx.requests).toHaveLength(2);
  });

  it('410 Gone stops the destination and disables the webhook with a webhook.disabled event', async () => {
    const gone = await receiver(() => ({ status: 410 }));
    const ops = await receiver();
    herald = await startTestHerald();
    const wh = await createWebhook(herald, gone.url);
    await createWebhook(herald, ops.url, ['webhook.disabled']);
    await emit(herald);
    const [req] = await ops.waitFor(1);
    expect(JSON.parse(req!.body)).toMatchObject({ type: 'webhook.disabled', data: { id: wh.id } });
    const got = await herald.api<{ state: string }>('GET', `/v1beta/webhooks/${wh.id}`);
    expect(got.body.state).toBe('disabled_due_to_failed_deliveries');
    await emit(herald);
    const { body } = await herald.api<{ deliveries: { status: string; status_reason?: string }[] }>(
      'GET',
      `/v1beta/deliveries?webhook=${wh.id}`,
    );
    expect(body.deliveries).toMatchObject([{ status: 'failed', status_reason: 'gone' }]);
    expect(gone.requests).toHaveLength(1);
  });

  it('exhausting the 24 h schedule with no success disables the webhook', async () => {
    const clock = new ManualClock();
    const rx = await receiver(() => ({ status: 500 }));
    herald = await startTestHerald({ clock, config: { timeScale: 3600 } }); // 24 h → 24 s
    const wh = await createWebhook(herald, rx.url);
    await emit(herald);
    // Walk the schedule: after each attempt, move the clock to the next attempt time.
    for (let n = 1; n < 8; n++) {
      await herald.waitForAttempts(n);
      const { body } = await herald.api<{ deliveries: { next_attempt_time?: string }[] }>('GET', '/v1beta/deliveries');
      clock.advance(Date.parse(body.deliveries[0]!.next_attempt_time!) - clock.now());
    }
    await herald.waitForAttempts(8);
    expect(herald.attempts.map((a) => a.outcome).at(-1)).toBe('failed');
    expect(herald.attempts).toHaveLength(8);
    const got = await herald.api<{ state: string }>('GET', `/v1beta/webhooks/${wh.id}`);
    expect(got.body.state).toBe('disabled_due_to_failed_deliveries');
  });

  it('rotation: both secrets verify within the overlap; after "immediately" the old one fails', async () => {
    const rx = await receiver();
    herald = await startTestHerald();
    const wh = await createWebhook(herald, rx.url);
    const rot = await herald.api<{ secret: string }>('POST', `/v1beta/webhooks/${wh.id}:rotateSigningSecret`, {});
    expect(rot.status).toBe(200);
    const listed = await herald.api<{ signing_secrets: { truncated_secret: string; expire_time?: string }[] }>(
      'GET',
      `/v1beta/webhooks/${wh.id}`,
    );
    expect(listed.body.signing_secrets).toHaveLength(2);
    expect(listed.body.signing_secrets[0]).toEqual({ truncated_secret: `whsec_...${rot.body.secret.slice(-4)}` });
    expect(listed.body.signing_secrets[1]!.expire_time).toBeDefined();

    await emit(herald);
    const [first] = await rx.waitFor(1);
    expect(String(first!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const s of [wh.new_signing_secret, rot.body.secret]) {
      expect(() => new StandardWebhook(s).verify(first!.body, first!.headers as Record<string, string>)).not.toThrow();
    }

    const rot2 = await herald.api<{ secret: string }>('POST', `/v1/webhooks/${wh.id}/rotate_secret`, {
      revocation_behavior: 'REVOKE_PREVIOUS_SECRETS_IMMEDIATELY',
    });
    expect(rot2.status).toBe(200);
    await emit(herald);
    const reqs = await rx.waitFor(2);
    const second = reqs[1]!;
    expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() =>
      new StandardWebhook(rot2.body.secret).verify(second.body, second.headers as Record<string, string>),
    ).not.toThrow();
    for (const old of [wh.new_signing_secret, rot.body.secret]) {
      expect(() => new StandardWebhook(old).verify(second.body, second.headers as Record<string, string>)).toThrow(
        /No matching signature/,
      );
    }
  });

  it('a black-hole endpoint does not stop a healthy endpoint', async () => {
    const hole = await receiver(() => 'hang');
    const healthy = await receiver();
    herald = await startTestHerald({ config: { maxInFlightPerDestination: 4, attemptTimeoutMs: 60_000 } });
    await createWebhook(herald, hole.url);
    await createWebhook(herald, healthy.url);
    for (let i = 0; i < 50; i++) await emit(herald, 'invoice.ready', { id: `inv_${i}` });
    const got = await healthy.waitFor(50);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(50);
    expect(hole.requests.length).toBeLessThanOrEqual(4);
  });

  it('ping delivers a signed webhook.ping to that webhook only, whatever it subscribes to', async () => {
    const a = await receiver();
    const b = await receiver();
    herald = await startTestHerald();
    const wa = await createWebhook(herald, a.url, ['batch.succeeded']);
    await createWebhook(herald, b.url, ['batch.succeeded']);
    const res = await herald.api<{ message_id: string; delivery_id: string }>('POST', `/v1beta/webhooks/${wa.id}:ping`);
    expect(res.status).toBe(200);
    expect(res.body.delivery_id).toMatch(/^dlv_/);
    const [req] = await a.waitFor(1);
    expect(req!.headers['webhook-id']).toBe(res.body.message_id);
    expect(
      new StandardWebhook(wa.new_signing_secret).verify(req!.body, req!.headers as Record<string, string>),
    ).toMatchObject({
      type: 'webhook.ping',
      data: { id: wa.id },
    });
    expect(b.requests).toHaveLength(0);
  });

  it('manual retry of a failed delivery is recorded as manual', async () => {
    const clock = new ManualClock();
    let up = false;
    const rx = await receiver(() => (up ? { status: 200 } : { status: 410 }));
    herald = await startTestHerald({ clock });
    const wh = await createWebhook(herald, rx.url);
    await emit(herald);
    await herald.waitForAttempts(1);
    await herald.api('PATCH', `/v1beta/webhooks/${wh.id}`, { state: 'enabled' });
    up = true;
    const { body } = await herald.api<{ deliveries: { id: string }[] }>('GET', '/v1beta/deliveries');
    const id = body.deliveries[0]!.id;
    const r = await herald.api<{ status: string }>('POST', `/v1beta/deliveries/${id}:retry`);
    expect(r.status).toBe(200);
    await herald.waitForAttempts(2);
    const one = await herald.api<{ status: string; attempts: { trigger: string; status_code: number }[] }>(
      'GET',
      `/v1beta/deliveries/${id}`,
    );
    expect(one.body.status).toBe('succeeded');
    expect(one.body.attempts.map((a) => [a.trigger, a.status_code])).toEqual([
      ['scheduled', 410],
      ['manual', 200],
    ]);
  });

  it('deleting a webhook cancels its pending deliveries', async () => {
    const clock = new ManualClock();
    const rx = await receiver(() => ({ status: 500 }));
    herald = await startTestHerald({ clock });
    const wh = await createWebhook(herald, rx.url);
    await emit(herald);
    await herald.waitForAttempts(1);
    expect((await herald.api('DELETE', `/v1beta/webhooks/${wh.id}`)).body).toEqual({});
    const { body } = await herald.api<{ deliveries: { status: string; status_reason: string }[] }>(
      'GET',
      '/v1beta/deliveries',
    );
    expect(body.deliveries).toMatchObject([{ status: 'cancelled', status_reason: 'webhook_deleted' }]);
    clock.advance(10_000);
    expect(rx.requests).toHaveLength(1);
  });
});
