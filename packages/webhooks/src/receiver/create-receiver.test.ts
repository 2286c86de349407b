import { describe, expect, it, vi } from 'vitest';
import { createWebhookReceiver, type WebhookResponse } from './create-receiver.js';
import { Webhook } from '../webhook.js';
import { WebhookVerifier } from '../webhook-verifier.js';
import { createRemoteJwks } from '../jwks/remote-jwks.js';
import { MemoryIdempotencyStore } from './memory-store.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { frozenAt, SW1 } from '../testing/vectors.js';

const now = 1_700_000_000;
const wh = new Webhook(SW1.secret, { now: frozenAt(now) });
const envelope = (type: string, data: Record<string, unknown>) =>
  JSON.stringify({ type, version: 'v1', timestamp: '2026-05-04T12:00:00Z', data });
const request = (body: string, id = 'msg_1', ts = now) => ({
  body,
  headers: { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': wh.sign(id, ts, body) },
});
const parsed = (response: WebhookResponse): unknown => JSON.parse(response.body);
const quiet = { onError: () => undefined };

describe('createWebhookReceiver', () => {
  it('dispatches to the typed handler of the event type and answers 200', async () => {
    const seen: string[] = [];
    const receiver = createWebhookReceiver({ verifier: wh, ...quiet })
      .on('batch.failed', (event, context) => {
        seen.push(`${context.id}:${event.data.error_message}:${event.data.error_code}`);
      })
      .on('batch.succeeded', () => {
        seen.push('wrong handler');
      });
    const body = envelope('batch.failed', { id: 'batches/b1', error_code: 3, error_message: 'Invalid input file' });
    const response = await receiver.handle(request(body));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(parsed(response)).toEqual({ ok: true });
    expect(seen).toEqual(['msg_1:Invalid input file:3']);
  });

  it('handlers given in options work too, and custom dotted types go to on(type) or the fallback', async () => {
    const seen: string[] = [];
    const receiver = createWebhookReceiver({
      verifier: wh,
      handlers: { 'webhook.ping': (event) => void seen.push(`ping ${event.data.id}`) },
      fallback: (event) => void seen.push(`fallback ${event.type}`),
      ...quiet,
    }).on('acme.report.ready', (event) => void seen.push(`custom ${String(event.data['url'])}`));
    await receiver.handle(request(envelope('webhook.ping', { id: 'webhooks/w1' }), 'msg_a'));
    await receiver.handle(request(envelope('acme.report.ready', { url: 'https://x' }), 'msg_b'));
    await receiver.handle(request(envelope('video.generated', { id: 'v' }), 'msg_c'));
    expect(seen).toEqual(['ping webhooks/w1', 'custom https://x', 'fallback video.generated']);
  });

  it('acknowledges events without a handler (200, ignored)', async () => {
    const receiver = createWebhookReceiver({ verifier: wh, ...quiet });
    const response = await receiver.handle(request(envelope('batch.expired', { id: 'b' })));
    expect(parsed(response)).toEqual({ ok: true, ignored: true });
  });

  it('a reused webhook-id (replay or retry) → 200 duplicate, handler not called again', async () => {
    const handler = vi.fn();
    const receiver = createWebhookReceiver({ verifier: wh, ...quiet }).on('webhook.ping', handler);
    const body = envelope('webhook.ping', { id: 'w' });
    expect((await receiver.handle(request(body, 'msg_dup', now))).status).toBe(200);
    const retry = await receiver.handle(request(body, 'msg_dup', now + 60)); // re-signed retry, same id
    expect(retry.status).toBe(200);
    expect(parsed(retry)).toEqual({ ok: true, duplicate: true });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('handler failure → 500 without details, claim released so the retry is processed', async () => {
    const errors: string[] = [];
    let fail = true;
    const handler = vi.fn(async () => {
      if (fail) throw new Error('database down: secret detail');
    });
    const receiver = createWebhookReceiver({
      verifier: wh,
      onError: (_error, stage, id) => void errors.push(`${stage}:${id}`),
    }).on('webhook.ping', handler);
    const body = envelope('webhook.ping', { id: 'w' });
    const first = await receiver.handle(request(body, 'msg_retry'));
    expect(first.status).toBe(500);
    expect(first.body).not.toContain('secret detail');
    expect(errors).toEqual(['handler:msg_retry']);
    fail = false;
    expect((await receiver.handle(request(body, 'msg_retry', now + 5))).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it.each([
    [
      'tampered body',
      (r: ReturnType<typeof request>) => ({ ...r, body: r.body.replace('"w"', '"x"') }),
      401,
      'ERR_SIGNATURE_MISMATCH',
    ],
    [
      'old timestamp (replay)',
      () => request(envelope('webhook.ping', { id: 'w' }), 'msg_old', now - 301),
      401,
      'ERR_TIMESTAMP_TOO_OLD',
    ],
    [
      'missing header',
      (r: ReturnType<typeof request>) => ({ ...r, headers: { 'webhook-id': 'msg_1' } }),
      400,
      'ERR_MISSING_HEADERS',
    ],
    ['not an envelope', () => request('{"hello":"world"}'), 400, 'ERR_PAYLOAD_INVALID'],
    ['not JSON', () => request('hello'), 400, 'ERR_PAYLOAD_INVALID'],
  ] as const)('%s → %i %s, handler not called', async (_name, mutate, status, code) => {
    const handler = vi.fn();
    const receiver = createWebhookReceiver({ verifier: wh, fallback: handler, ...quiet });
    const response = await receiver.handle(mutate(request(envelope('webhook.ping', { id: 'w' }))));
    expect(response.status).toBe(status);
    expect(parsed(response)).toMatchObject({ error: { code } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('a failed verification does not consume the webhook-id', async () => {
    const handler = vi.fn();
    const receiver = createWebhookReceiver({ verifier: wh, fallback: handler, ...quiet });
    const good = request(envelope('webhook.ping', { id: 'w' }), 'msg_x');
    await receiver.handle({ ...good, body: good.body.replace('"w"', '"evil"') });
    expect((await receiver.handle(good)).status).toBe(200);
    expect(handler).toHaveBeenCalledOnce();
  });

  it('JWKS unavailable → 503 so the sender retries', async () => {
    const verifier = new WebhookVerifier({
      jwks: createRemoteJwks('http://127.0.0.1:9/jwks.json', {
        fetch: () => Promise.reject(new Error('ECONNREFUSED')),
      }),
      now: frozenAt(now),
    });
    const receiver = createWebhookReceiver({ verifier, fallback: () => undefined, ...quiet });
    const body = envelope('webhook.ping', { id: 'w' });
    const sig = `v1a,${Buffer.alloc(64).toString('base64')}`;
    const response = await receiver.handle({
      body,
      headers: { 'webhook-id': 'm', 'webhook-timestamp': String(now), 'webhook-signature': sig },
    });
    expect(response.status).toBe(503);
    expect(parsed(response)).toMatchObject({ error: { code: 'ERR_JWKS_UNAVAILABLE' } });
  });

  it('store failure → 503; store: false disables dedupe', async () => {
    const broken: IdempotencyStore = {
      claim: () => Promise.reject(new Error('redis down')),
      release: async () => undefined,
    };
    const receiver = createWebhookReceiver({ verifier: wh, store: broken, fallback: () => undefined, ...quiet });
    expect((await receiver.handle(request(envelope('webhook.ping', { id: 'w' })))).status).toBe(503);

    const handler = vi.fn();
    const noDedupe = createWebhookReceiver({ verifier: wh, store: false, fallback: handler, ...quiet });
    await noDedupe.handle(request(envelope('webhook.ping', { id: 'w' })));
    await noDedupe.handle(request(envelope('webhook.ping', { id: 'w' })));
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('uses the given store and TTL', async () => {
    const store = new MemoryIdempotencyStore();
    const claim = vi.spyOn(store, 'claim');
    const receiver = createWebhookReceiver({
      verifier: wh,
      store,
      dedupeTtl: 120,
      fallback: () => undefined,
      ...quiet,
    });
    await receiver.handle(request(envelope('webhook.ping', { id: 'w' }), 'msg_ttl'));
    expect(claim).toHaveBeenCalledWith('msg_ttl', 120);
  });
});
