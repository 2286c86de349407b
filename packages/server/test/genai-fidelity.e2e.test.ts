import { ApiError, GoogleGenAI } from '@google/genai';
import { WebhookVerifier } from '@herald/webhooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { eventsOf, loggedEvents } from '../src/testing/operation-helpers.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';
import { countCalls } from './support/count-calls.js';
import { startGuideJwtReceiver, type GuideJwtReceiver } from './support/guide-jwt-receiver.js';

/**
 * Issue #16, one test per row of its table, through the real `@google/genai` (the pinned 2.32.0)
 * wherever the SDK has the call, against a real Herald on 127.0.0.1:0.
 */
let herald: TestHerald | undefined;
const closers: (Receiver | GuideJwtReceiver)[] = [];
const calls = countCalls();
afterEach(async () => {
  for (const c of closers.splice(0)) await c.close();
  await herald?.close();
  herald = undefined;
});
afterAll(() => {
  calls.restore();
  console.info(`genai-fidelity: ${calls.count} HTTP calls to Herald through @google/genai`);
});

async function start(opts: Parameters<typeof startTestHerald>[0] = {}) {
  herald = await startTestHerald({ ...opts, config: { timeScale: 1000, ...opts.config } });
  calls.track(herald.url);
  return { h: herald, ai: new GoogleGenAI({ apiKey: herald.apiKey, httpOptions: { baseUrl: herald.url } }) };
}

/** The SDK's error for `fn`: its HTTP status and the parsed Google error body in its message. */
async function sdkError(fn: () => Promise<unknown>) {
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  const e = err as { status?: number; message: string; constructor: { name: string } };
  const json = e.message.slice(e.message.indexOf('{'));
  return {
    status: e.status,
    className: e.constructor.name,
    body: JSON.parse(json) as { error: { code: number; message: string; status: string; details?: unknown[] } },
  };
}

async function untilDone(h: TestHerald, name: string): Promise<void> {
  for (;;) {
    const r = await h.api<{ done?: boolean; status?: string }>('GET', `/v1beta/${name}?wait=60s`);
    if (r.body.done === true || (r.body.status !== undefined && r.body.status !== 'in_progress')) return;
  }
}

const NOT_FOUND = (model: string, method: string, version = 'v1beta') =>
  `models/${model} is not found for API version ${version}, or is not supported for ${method}. ` +
  'Call ListModels to see the list of available models and their supported methods.';

describe('issue #16 through @google/genai', () => {
  it('1. a default dynamic delivery (batches.create webhookConfig) passes the guide JWT sample and @herald/webhooks', async () => {
    const { h, ai } = await start({ config: { publicUrl: 'https://herald.example.test' } });
    const guide = await startGuideJwtReceiver({ jwksUri: `${h.url}/.well-known/jwks.json` });
    closers.push(guide);
    const job = await ai.batches.create({
      model: 'gemini-2.5-flash',
      src: [{ contents: [{ role: 'user', parts: [{ text: 'hello' }] }] }],
      config: { webhookConfig: { uris: [guide.url], userMetadata: { run: 1 } } },
    });
    const [verdict] = await guide.waitFor(1);
    expect(verdict).toMatchObject({ ok: true, event: { type: 'batch.succeeded', data: { id: job.name } } });
    const verifier = new WebhookVerifier({ jwks: `${h.url}/.well-known/jwks.json`, jwt: { audience: guide.url } });
    expect(await verifier.verifyDelivery(verdict!.body, verdict!.headers)).toMatchObject({
      scheme: 'jwt',
      event: { type: 'batch.succeeded', data: { id: job.name, user_metadata: { run: 1 } } },
    });
  });

  it('2. a wrong key: 400 INVALID_ARGUMENT "API key not valid…" with ErrorInfo API_KEY_INVALID, on every surface', async () => {
    const { h } = await start();
    const wrong = new GoogleGenAI({ apiKey: 'AIza-wrong', httpOptions: { baseUrl: h.url } });
    for (const fn of [() => wrong.batches.list(), () => wrong.models.get({ model: 'gemini-2.5-flash' })]) {
      const e = await sdkError(fn);
      expect(e.status).toBe(400);
      expect(e.className).toBe(ApiError.name);
      expect(e.body.error).toMatchObject({
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
          { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US' },
        ],
      });
    }
    // The webhooks and interactions clients raise their own error classes with the status.
    await expect(wrong.webhooks.list()).rejects.toMatchObject({ status: 400 });
    await expect(wrong.interactions.create({ model: 'gemini-2.5-flash', input: 'x' })).rejects.toMatchObject({
      status: 400,
    });
  });

  it('3. no key: 403 PERMISSION_DENIED "Method doesn\'t allow unregistered callers…"', async () => {
    const { h } = await start();
    for (const path of ['/v1beta/models', '/v1beta/batches', '/v1beta/files', '/v1beta/webhooks']) {
      const res = await fetch(`${h.url}${path}`);
      expect(res.status, path).toBe(403);
      expect(((await res.json()) as { error: unknown }).error, path).toEqual({
        code: 403,
        status: 'PERMISSION_DENIED',
        message:
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      });
    }
  });

  it('4. error bodies carry details: BadRequest field violations for a known field', async () => {
    const { ai } = await start();
    const err = (await ai.webhooks
      .create({ uri: 'http://127.0.0.1:9/hook', subscribed_events: 'batch.succeeded' as never })
      .then(() => undefined)
      .catch((e: unknown) => e)) as Record<string, unknown> & { status?: number; message: string };
    expect(err.status).toBe(400);
    const seen = JSON.stringify({ ...err, message: err.message });
    expect(seen, seen).toContain('type.googleapis.com/google.rpc.BadRequest');
    expect(seen).toContain('subscribed_events');
  });

  it('4b. a rate limit (HERALD_SIM_RPM): 429 RESOURCE_EXHAUSTED with Retry-After and RetryInfo', async () => {
    const clock = new ManualClock();
    process.env.HERALD_SIM_RPM = '2';
    let started: Awaited<ReturnType<typeof start>>;
    try {
      started = await start({ clock });
    } finally {
      delete process.env.HERALD_SIM_RPM;
    }
    const { h, ai } = started;
    const src = [{ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }];
    await ai.batches.create({ model: 'gemini-2.5-flash', src });
    await ai.batches.create({ model: 'gemini-2.5-flash', src });
    const limited = await sdkError(() => ai.batches.create({ model: 'gemini-2.5-flash', src }));
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      details: [
        { '@type': 'type.googleapis.com/google.rpc.QuotaFailure' },
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED' },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '60s' },
      ],
    });
    const raw = await fetch(`${h.url}/v1beta/models/gemini-2.5-flash:batchGenerateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': h.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ batch: { input_config: { requests: { requests: [{ request: {} }] } } } }),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('60');
    clock.advance(60_000); // the next minute
    expect((await ai.batches.create({ model: 'gemini-2.5-flash', src })).state).toBe('JOB_STATE_PENDING');
  });

  it("5. unknown models and unsupported methods: 404 NOT_FOUND in Google's words; nothing is created", async () => {
    const { h, ai } = await start();
    const batch = await sdkError(() =>
      ai.batches.create({ model: 'gemini-0-nope', src: [{ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }] }),
    );
    expect(batch.status).toBe(404);
    expect(batch.body.error).toEqual({
      code: 404,
      status: 'NOT_FOUND',
      // @google/genai 2.x calls /v1beta, 3.x calls /v1: the message names the version called.
      message: expect.stringMatching(/^models\/gemini-0-nope is not found for API version v1(beta)?, /),
    });
    // REST, as docs/gemini-compat.md shows it: `ai.models.generateVideos` is Vertex-only in @google/genai 3.x.
    const video = await h.api<{ error: { message: string } }>(
      'POST',
      '/v1beta/models/gemini-2.5-flash:predictLongRunning',
      { instances: [{ prompt: 'sea' }] },
    );
    expect(video.status).toBe(404);
    expect(video.body.error.message).toBe(NOT_FOUND('gemini-2.5-flash', 'predictLongRunning'));
    await expect(ai.interactions.create({ model: 'gemini-0-nope', input: 'x' })).rejects.toMatchObject({
      status: 404,
    });
    expect(await loggedEvents(h)).toEqual([]);
    expect((await ai.batches.list()).page).toEqual([]);

    // models.list / models.get answer from the registry, as the SDK reads them.
    const names: string[] = [];
    for await (const m of await ai.models.list({ config: { pageSize: 5 } })) names.push(m.name!);
    expect(names).toEqual(expect.arrayContaining(['models/gemini-2.5-flash', 'models/veo-3.1-generate-preview']));
    expect(new Set(names).size).toBe(names.length);
    expect(await ai.models.get({ model: 'veo-3.1-generate-preview' })).toMatchObject({
      name: 'models/veo-3.1-generate-preview',
      supportedActions: ['predictLongRunning'],
    });
    expect((await sdkError(() => ai.models.get({ model: 'gemini-0-nope' }))).status).toBe(404);
  });

  it('6 & 7. files.list (paged) and files.delete; an upload is source UPLOADED', async () => {
    const { ai } = await start();
    const uploaded: Awaited<ReturnType<typeof ai.files.upload>>[] = [];
    for (const n of [1, 2, 3])
      uploaded.push(
        await ai.files.upload({
          file: new Blob([`line ${n}\n`], { type: 'text/plain' }),
          config: { displayName: `f${n}.txt`, mimeType: 'text/plain' },
        }),
      );
    expect(uploaded.map((f) => f.source)).toEqual(['UPLOADED', 'UPLOADED', 'UPLOADED']);
    expect((await ai.files.get({ name: uploaded[0]!.name! })).source).toBe('UPLOADED');
    const pager = await ai.files.list({ config: { pageSize: 2 } });
    expect(pager.page).toHaveLength(2);
    const listed: string[] = [];
    for await (const f of pager) listed.push(f.name!);
    expect(listed.sort()).toEqual(uploaded.map((f) => f.name!).sort());

    await ai.files.delete({ name: uploaded[1]!.name! });
    expect((await sdkError(() => ai.files.get({ name: uploaded[1]!.name! }))).status).toBe(404);
    const after: string[] = [];
    for await (const f of await ai.files.list()) after.push(f.name!);
    expect(after.sort()).toEqual([uploaded[0]!.name!, uploaded[2]!.name!].sort());
  });

  it("8. the docs' REST :predictLongRunning example runs (with a webhookConfig), and video.generated arrives", async () => {
    const { h } = await start();
    const rx = await startReceiver();
    closers.push(rx);
    const res = await fetch(`${h.url}/v1beta/models/veo-3.1-generate-preview:predictLongRunning`, {
      method: 'POST',
      headers: { 'x-goog-api-key': h.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        instances: [{ prompt: 'a lighthouse at dusk' }],
        webhookConfig: { uris: [rx.url], userMetadata: { route: 'thumbnails' } },
      }),
    });
    expect(res.status).toBe(200);
    const { name } = (await res.json()) as { name: string };
    expect(name).toMatch(/^models\/veo-3\.1-generate-preview\/operations\/[0-9a-z]+$/);
    const [event] = eventsOf(await rx.waitFor(1));
    // 10. Herald keeps video_uri beside the guide's output_file_uri and file_name (docs/gemini-compat.md).
    expect(event).toMatchObject({
      type: 'video.generated',
      data: {
        id: name,
        output_file_uri: expect.stringMatching(/:download\?alt=media$/),
        video_uri: expect.stringMatching(/:download\?alt=media$/),
        file_name: expect.stringMatching(/^files\//),
        user_metadata: { route: 'thumbnails' },
      },
    });
  });

  it('9. interactions: only background ones fire interaction.completed', async () => {
    const { h, ai } = await start();
    const rx = await startReceiver();
    closers.push(rx);
    await ai.webhooks.create({ uri: rx.url, subscribed_events: ['interaction.completed'] });
    const sync = await ai.interactions.create({ model: 'gemini-2.5-flash', input: 'hi' });
    expect(sync.status).toBe('completed');
    const bg = await ai.interactions.create({ model: 'gemini-2.5-flash', input: 'hi', background: true });
    await untilDone(h, `interactions/${bg.id}`);
    expect(eventsOf(await rx.waitFor(1))).toMatchObject([{ type: 'interaction.completed', data: { id: bg.id } }]);
    expect((await loggedEvents(h)).map((e) => e.operation)).toEqual([`interactions/${bg.id}`]);
  });

  it('11. a pending file batch reports requestCount and pendingRequestCount', async () => {
    const { ai } = await start({ config: { timeScale: 1 } });
    const input = await ai.files.upload({
      file: new Blob(['{"key":"a","request":{"contents":[{"parts":[{"text":"a"}]}]}}\n'.repeat(3)], {
        type: 'application/jsonl',
      }),
      config: { mimeType: 'application/jsonl' },
    });
    const job = await ai.batches.create({ model: 'gemini-2.5-flash', src: input.name! });
    expect(job.state).toBe('JOB_STATE_PENDING');
    const raw = await herald!.api<{ metadata: { batchStats: unknown } }>('GET', `/v1beta/${job.name!}`);
    expect(raw.body.metadata.batchStats).toEqual({ requestCount: '3', pendingRequestCount: '3' });
    await ai.batches.cancel({ name: job.name! });
  });

  it('12. a function-call step carries a signature', async () => {
    const { h, ai } = await start();
    const created = await ai.interactions.create({
      model: 'gemini-2.5-flash',
      input: 'Weather in Paris?',
      tools: [{ type: 'function', name: 'get_weather' }],
      background: true,
    });
    await untilDone(h, `interactions/${created.id}`);
    const got = await ai.interactions.get(created.id);
    expect(got.status).toBe('requires_action');
    expect(got.steps?.[0]).toMatchObject({ type: 'function_call', name: 'get_weather' });
    expect((got.steps?.[0] as { signature?: string }).signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });
});
