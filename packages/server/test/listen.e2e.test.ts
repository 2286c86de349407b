import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { connectSse, type SseClient } from '../src/testing/sse-client.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

let herald: TestHerald | undefined;
const streams: SseClient[] = [];

afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await herald?.close();
  herald = undefined;
});

interface ListenerJson {
  id: string;
  uri: string;
  secret: string;
  subscribed_events: string[];
  connected: boolean;
}

interface Push {
  delivery_id: string;
  attempt: number;
  headers: Record<string, string>;
  body: string;
}

interface DeliveryJson {
  id: string;
  status: string;
  attempt_count: number;
  destination: { type: string; webhook_id?: string; uri: string };
  attempts: {
    number: number;
    status_code?: number;
    error_code?: string;
    duration_ms: number;
    response_excerpt?: string;
  }[];
}

type ErrorJson = { error: { status: string; message: string } };

async function setup(config: Record<string, unknown> = {}) {
  const h = await startTestHerald({ config: { timeScale: 1000, attemptTimeoutMs: 2000, ...config } });
  herald = h;
  const created = await h.api<ListenerJson>('POST', '/v1beta/listeners', { subscribed_events: ['invoice.ready'] });
  expect(created.status).toBe(200);
  return { h, listener: created.body };
}

async function open(h: TestHerald, id: string) {
  const s = await connectSse(`${h.url}/v1beta/listeners/${id}:stream`, { 'x-goog-api-key': h.apiKey });
  streams.push(s);
  expect(s.status).toBe(200);
  await s.waitForComments(1); // ": connected"
  return s;
}

const pushes = (s: SseClient) => s.frames.filter((f) => f.event === 'delivery').map((f) => JSON.parse(f.data!) as Push);

const report = (h: TestHerald, id: string, p: Push, body: Record<string, unknown>) =>
  h.api<ErrorJson>('POST', `/v1beta/listeners/${id}/deliveries/${p.delivery_id}:report`, body);

describe('/v1beta/listeners (herald listen)', () => {
  it('pushes each attempt with its signed headers; the reported answer drives retries and the attempt log', async () => {
    const { h, listener } = await setup();
    expect(listener.uri).toMatch(/^herald-listen:\/\/lst_[0-9a-z]{24}$/);
    expect(listener.secret).toMatch(/^whsec_/);
    expect(listener).toMatchObject({ subscribed_events: ['invoice.ready'], connected: false });
    const s = await open(h, listener.id);
    expect((await h.api<ListenerJson>('GET', `/v1beta/listeners/${listener.id}`)).body.connected).toBe(true);

    const ev = await h.api<{ id: string; message_id: string }>('POST', '/v1beta/events', {
      type: 'invoice.ready',
      data: { id: 'inv_1' },
    });
    await s.waitForFrames(1);
    const [first] = pushes(s);
    expect(first).toMatchObject({ attempt: 1, headers: { 'content-type': 'application/json' } });
    expect(first!.headers['webhook-id']).toBe(ev.body.message_id);
    // Signed with the listener's secret, exactly as an HTTP delivery would be.
    const verified = new StandardWebhook(listener.secret).verify(first!.body, first!.headers) as { data: unknown };
    expect(verified.data).toEqual({ id: 'inv_1' });

    // The local receiver answered 500: Herald records it and retries on schedule.
    expect(
      (await report(h, listener.id, first!, { status_code: 500, duration_ms: 12.5, response_excerpt: 'boom' })).status,
    ).toBe(200);
    await s.waitForFrames(2);
    const second = pushes(s)[1]!;
    expect(second).toMatchObject({ delivery_id: first!.delivery_id, attempt: 2 });
    expect(second.headers['webhook-id']).toBe(ev.body.message_id);
    expect((await report(h, listener.id, second, { status_code: 204, duration_ms: 3 })).status).toBe(200);
    await h.waitForAttempts(2);

    const d = (await h.api<DeliveryJson>('GET', `/v1beta/deliveries/${first!.delivery_id}`)).body;
    expect(d).toMatchObject({ status: 'succeeded', destination: { type: 'webhook', webhook_id: listener.id } });
    expect(d.attempts.map((a) => [a.number, a.status_code, a.duration_ms, a.response_excerpt])).toEqual([
      [1, 500, 12.5, 'boom'],
      [2, 204, 3, undefined],
    ]);

    // A report nobody waits for any more is refused.
    const late = await report(h, listener.id, second, { status_code: 200, duration_ms: 1 });
    expect(late.status).toBe(400);
    expect(late.body.error.status).toBe('FAILED_PRECONDITION');
  });

  it('without a connected listener an attempt fails (ENOLISTENER) and is retried once one connects', async () => {
    const { h, listener } = await setup();
    await h.api('POST', '/v1beta/events', { type: 'invoice.ready', data: { id: 'inv_2' } });
    const [a] = await h.waitForAttempts(1);
    expect(a!.errorCode).toBe('ENOLISTENER');
    const s = await open(h, listener.id);
    await s.waitForFrames(1);
    const p = pushes(s)[0]!;
    expect(p.attempt).toBeGreaterThan(1);
    await report(h, listener.id, p, {
      error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:3000' },
      duration_ms: 1,
    });
    const d = (await h.api<DeliveryJson>('GET', `/v1beta/deliveries/${p.delivery_id}`)).body;
    expect(d.attempts.at(-1)).toMatchObject({ error_code: 'ECONNREFUSED' });
  });

  it('an unreported attempt times out like an HTTP attempt', async () => {
    const { h, listener } = await setup({ attemptTimeoutMs: 300 });
    const s = await open(h, listener.id);
    await h.api('POST', '/v1beta/events', { type: 'invoice.ready', data: { id: 'inv_3' } });
    await s.waitForFrames(1);
    const [a] = await h.waitForAttempts(1);
    expect(a!.errorCode).toBe('ETIMEDOUT');
  });

  it('DELETE removes the listener and ends its stream; other projects and plain webhooks are not listeners', async () => {
    const { h, listener } = await setup();
    const s = await open(h, listener.id);
    expect((await h.api('DELETE', `/v1beta/listeners/${listener.id}`)).status).toBe(200);
    await s.ended;
    expect((await h.api('GET', `/v1beta/webhooks/${listener.id}`)).status).toBe(404);
    const gone = await h.api<ErrorJson>('GET', `/v1beta/listeners/${listener.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toMatch(/start `herald listen` again/);

    const plain = await h.api<{ id: string }>('POST', '/v1beta/webhooks', {
      uri: 'http://127.0.0.1:9/x',
      subscribed_events: ['invoice.ready'],
    });
    expect((await h.api('GET', `/v1beta/listeners/${plain.body.id}`)).status).toBe(404);
    expect((await h.api('DELETE', `/v1beta/listeners/${plain.body.id}`)).status).toBe(404);
  });

  it('the internal scheme is accepted only through the listeners API', async () => {
    const { h, listener } = await setup();
    const create = await h.api<ErrorJson>('POST', '/v1beta/webhooks', {
      uri: listener.uri,
      subscribed_events: ['invoice.ready'],
    });
    expect(create.status).toBe(400);
    expect(create.body.error.message).toMatch(/scheme "herald-listen" is not allowed/);
    const plain = await h.api<{ id: string }>('POST', '/v1beta/webhooks', {
      uri: 'http://127.0.0.1:9/x',
      subscribed_events: ['invoice.ready'],
    });
    const patch = await h.api<ErrorJson>('PATCH', `/v1beta/webhooks/${plain.body.id}?update_mask=uri`, {
      uri: listener.uri,
    });
    expect(patch.status).toBe(400);
    const op = await h.api<ErrorJson>('POST', '/v1beta/operations', {
      kind: 'render.video',
      webhook_config: { uris: [listener.uri] },
    });
    expect(op.status).toBe(400);
    const bad = await h.api<ErrorJson>('POST', '/v1beta/listeners', { subscribed_events: ['batch.succeded'] });
    expect(bad.status).toBe(400);
    const noReport = await h.api<ErrorJson>('POST', `/v1beta/listeners/${listener.id}/deliveries/dlv_x:report`, {
      duration_ms: 1,
    });
    expect(noReport.status).toBe(400);
    expect(noReport.body.error.message).toMatch(/status_code .* or error/);
  });

  it('a server that runs only the API refuses listeners with a clear error', async () => {
    const h = await startTestHerald({ config: { role: 'api' } });
    herald = h;
    const r = await h.api<ErrorJson>('POST', '/v1beta/listeners', { subscribed_events: ['invoice.ready'] });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/HERALD_ROLE=all/);
  });
});
