import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

let h: TestHerald;
beforeAll(async () => {
  h = await startTestHerald({ config: { maxRequestBytes: 64 * 1024, maxEventDataBytes: 8 * 1024 } });
});
afterAll(async () => {
  await h.close();
});

type ErrorBody = { error: { code: number; message: string; status: string } };

async function raw(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(h.url + path, {
    method,
    headers: { 'x-goog-api-key': h.apiKey, 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body } : {}),
  });
  return { status: res.status, body: (await res.json()) as ErrorBody };
}

async function expectNothingWritten() {
  const list = await h.api<{ webhooks: unknown[] }>('GET', '/v1beta/webhooks');
  expect(list.body.webhooks).toEqual([]);
  const events = await h.api<{ events: unknown[] }>('GET', '/v1beta/events');
  expect(events.body.events).toEqual([]);
}

const valid = { uri: 'http://127.0.0.1:9/hooks', subscribed_events: ['batch.succeeded'] };

describe('bad input gets a clear Google-style error and writes nothing', () => {
  it.each([
    ['malformed JSON', '{"uri": ', 400, /Malformed JSON/],
    [
      'wrong type',
      JSON.stringify({ ...valid, subscribed_events: 'batch.succeeded' }),
      400,
      /"subscribed_events" must be of type array/,
    ],
    [
      'unknown event',
      JSON.stringify({ ...valid, subscribed_events: ['batch.succeded'] }),
      400,
      /unknown event type "batch.succeded"; allowed: batch.succeeded/,
    ],
    ['unknown field', JSON.stringify({ ...valid, url: 'x' }), 400, /unknown field "url"/],
    ['missing uri', JSON.stringify({ subscribed_events: ['batch.succeeded'] }), 400, /uri is required/],
    ['empty events', JSON.stringify({ ...valid, subscribed_events: [] }), 400, /at least one event type/],
    [
      'bad scheme',
      JSON.stringify({ ...valid, uri: 'ftp://example.com/x' }),
      400,
      /uri "ftp:\/\/example.com\/x" is not allowed/,
    ],
    ['not a URL', JSON.stringify({ ...valid, uri: 'not a url' }), 400, /is not allowed/],
    ['metadata address', JSON.stringify({ ...valid, uri: 'http://169.254.169.254/latest' }), 400, /is not allowed/],
  ])('create webhook: %s', async (_name, body, code, message) => {
    const res = await raw('POST', '/v1beta/webhooks', body);
    expect(res.status).toBe(code);
    expect(res.body.error).toMatchObject({ code, status: 'INVALID_ARGUMENT' });
    expect(res.body.error.message).toMatch(message);
    await expectNothingWritten();
  });

  it('names the wrong fields in a BadRequest detail (google.rpc.BadRequest.fieldViolations)', async () => {
    const res = await raw('POST', '/v1beta/webhooks', JSON.stringify({ ...valid, subscribed_events: 'x', url: 'y' }));
    expect(res.status).toBe(400);
    const details = (res.body.error as { details?: { fieldViolations?: { field: string }[] }[] }).details;
    expect(details).toEqual([
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: expect.arrayContaining([
          { field: expect.stringMatching(/^(url|subscribed_events)$/), description: expect.stringMatching(/field/) },
        ]),
      },
    ]);
    const malformed = await raw('POST', '/v1beta/webhooks', '{"uri": ');
    expect(malformed.body.error).not.toHaveProperty('details'); // no field to name
  });

  it('rejects an oversized body with 413', async () => {
    const res = await raw(
      'POST',
      '/v1beta/events',
      JSON.stringify({ type: 'invoice.ready', data: { x: 'a'.repeat(70 * 1024) } }),
    );
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/larger than 65536 bytes/);
    await expectNothingWritten();
  });

  it('rejects oversized event data with 413', async () => {
    const res = await raw(
      'POST',
      '/v1beta/events',
      JSON.stringify({ type: 'invoice.ready', data: { x: 'a'.repeat(9 * 1024) } }),
    );
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/at most 8192 bytes/);
    await expectNothingWritten();
  });

  it.each([
    [{ type: 'nodots', data: {} }, /not an accepted event type/],
    [{ type: 'invoice.ready', data: [] }, /"data" must be/],
    [{ type: 'invoice.ready' }, /"data" is required/],
    [{ type: 'webhook.ping', data: {} }, /emitted by Herald itself/],
  ])('emit event: %j', async (body, message) => {
    const res = await raw('POST', '/v1beta/events', JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    await expectNothingWritten();
  });

  it('answers 404 NOT_FOUND for unknown ids and routes', async () => {
    for (const [method, path] of [
      ['GET', '/v1beta/webhooks/nope'],
      ['PATCH', '/v1beta/webhooks/nope'],
      ['DELETE', '/v1/webhooks/nope'],
      ['POST', '/v1beta/webhooks/nope:ping'],
      ['POST', '/v1beta/webhooks/nope:rotateSigningSecret'],
      ['GET', '/v1beta/deliveries/dlv_nope'],
      ['POST', '/v1beta/deliveries/dlv_nope:retry'],
      ['GET', '/v1beta/events/evt_nope'],
      ['GET', '/v1beta/nothing-here'],
    ] as const) {
      const res = await raw(
        method,
        path,
        method === 'PATCH' ? JSON.stringify({ name: 'x' }) : method === 'POST' ? '{}' : undefined,
      );
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.status).toBe('NOT_FOUND');
    }
  });

  it('answers as Gemini does: 403 PERMISSION_DENIED without a key, 400 API_KEY_INVALID with a wrong one', async () => {
    const none = await fetch(`${h.url}/v1beta/webhooks`);
    expect(none.status).toBe(403);
    expect(await none.json()).toEqual({
      error: {
        code: 403,
        status: 'PERMISSION_DENIED',
        message:
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      },
    });
    const wrong = await fetch(`${h.url}/v1beta/webhooks`, { headers: { 'x-goog-api-key': 'hk_wrong' } });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({
      error: {
        code: 400,
        status: 'INVALID_ARGUMENT',
        message: 'API key not valid. Please pass a valid API key.',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
          {
            '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
            locale: 'en-US',
            message: 'API key not valid. Please pass a valid API key.',
          },
        ],
      },
    });
    const posted = await fetch(`${h.url}/v1beta/webhooks`, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'hk_wrong', 'content-type': 'application/json' },
      body: JSON.stringify(valid),
    });
    expect(posted.status).toBe(400);
    await expectNothingWritten();
  });

  it('accepts the key as ?key= and as a Bearer token', async () => {
    expect((await fetch(`${h.url}/v1beta/webhooks?key=${h.apiKey}`)).status).toBe(200);
    expect((await fetch(`${h.url}/v1/webhooks`, { headers: { authorization: `Bearer ${h.apiKey}` } })).status).toBe(
      200,
    );
  });

  it('rejects bad enum values on update and rotate', async () => {
    const created = await h.api<{ id: string }>('POST', '/v1beta/webhooks', valid);
    const id = created.body.id;
    const bad = await raw('PATCH', `/v1beta/webhooks/${id}`, JSON.stringify({ state: 'paused' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/state "paused" cannot be set; allowed: enabled, disabled/);
    const mask = await raw('PATCH', `/v1beta/webhooks/${id}?update_mask=colour`, JSON.stringify({ name: 'x' }));
    expect(mask.body.error.message).toMatch(/update_mask names unknown field "colour"/);
    const rot = await raw(
      'POST',
      `/v1beta/webhooks/${id}:rotateSigningSecret`,
      JSON.stringify({ revocation_behavior: 'later' }),
    );
    expect(rot.status).toBe(400);
    expect(rot.body.error.message).toMatch(
      /allowed: revoke_previous_secrets_after_h24, revoke_previous_secrets_immediately/,
    );
    const page = await raw('GET', '/v1beta/webhooks?page_token=garbage');
    expect(page.body.error.message).toMatch(/page_token is not valid/);
    expect((await h.api('DELETE', `/v1beta/webhooks/${id}`)).status).toBe(200);
  });
});

describe('webhook resource shape', () => {
  it('matches the Gemini WebhookService field for field', async () => {
    const created = await h.api('POST', '/v1beta/webhooks', {
      ...valid,
      name: 'MyBatchWebhook',
    });
    expect(Object.keys(created.body).sort()).toEqual(
      [
        'create_time',
        'id',
        'name',
        'new_signing_secret',
        'signing_secrets',
        'state',
        'subscribed_events',
        'update_time',
        'uri',
      ].sort(),
    );
    expect(created.body.id).toMatch(/^[0-9a-z]{36}$/);
    const secret = created.body.new_signing_secret as string;
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(created.body.signing_secrets).toEqual([{ truncated_secret: `whsec_...${secret.slice(-4)}` }]);
    expect(created.body.state).toBe('enabled');
    const got = await h.api('GET', `/v1beta/webhooks/${String(created.body.id)}`);
    expect(got.body.new_signing_secret).toBeUndefined();
    const patched = await h.api('PATCH', `/v1beta/webhooks/${String(created.body.id)}?update_mask=subscribed_events`, {
      subscribed_events: ['batch.succeeded', 'batch.cancelled', 'render.done'],
      name: 'ignored because not in the mask',
    });
    expect(patched.body).toMatchObject({
      name: 'MyBatchWebhook',
      subscribed_events: ['batch.succeeded', 'batch.cancelled', 'render.done'],
    });
    expect(Date.parse(patched.body.update_time as string)).toBeGreaterThanOrEqual(
      Date.parse(got.body.update_time as string),
    );
    await h.api('DELETE', `/v1beta/webhooks/${String(created.body.id)}`);
  });

  it('pages with page_size and next_page_token', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await h.api<{ id: string }>('POST', '/v1/webhooks', valid)).body.id);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const res = await h.api<{ webhooks: { id: string }[]; next_page_token?: string }>(
        'GET',
        `/v1beta/webhooks?page_size=2${token ? `&page_token=${token}` : ''}`,
      );
      expect(res.body.webhooks.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.webhooks.map((w) => w.id));
      token = res.body.next_page_token;
    } while (token);
    expect(seen).toEqual(ids);
    for (const id of ids) await h.api('DELETE', `/v1beta/webhooks/${id}`);
  });

  it('serves an OpenAPI document and health endpoints without a key', async () => {
    const spec = (await (await fetch(`${h.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/v1beta/webhooks', '/v1/webhooks/{id}', '/v1beta/events']),
    );
    expect(await (await fetch(`${h.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${h.url}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('returns the original event for a repeated Idempotency-Key', async () => {
    const first = await h.api<{ id: string }>(
      'POST',
      '/v1beta/events',
      { type: 'invoice.ready', data: { n: 1 } },
      { 'idempotency-key': 'k1' },
    );
    const again = await h.api<{ id: string }>(
      'POST',
      '/v1beta/events',
      { type: 'invoice.ready', data: { n: 1 } },
      { 'idempotency-key': 'k1' },
    );
    expect(again.body.id).toBe(first.body.id);
    // The same key with another body is a client bug, not a replay.
    const other = await h.api(
      'POST',
      '/v1beta/events',
      { type: 'invoice.ready', data: { n: 2 } },
      { 'idempotency-key': 'k1' },
    );
    expect(other.status).toBe(409);
    const list = await h.api<{ events: unknown[] }>('GET', '/v1beta/events?types=invoice.ready');
    expect(list.body.events).toHaveLength(1);
  });
});
