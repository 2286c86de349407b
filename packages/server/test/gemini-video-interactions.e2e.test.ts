import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { deliveries, eventsOf, loggedEvents, subscribe, waitDone } from '../src/testing/operation-helpers.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald as startHerald, type TestHerald } from '../src/testing/test-herald.js';

// One suite, run against every store (SQLite; PostgreSQL when reachable).
const backends = await testBackends('Gemini video and interactions');
let backend = backends[0]!;
const startTestHerald = (opts: Parameters<typeof startHerald>[0] = {}) =>
  startHerald({ ...opts, config: { ...backend.config, ...opts.config } });

let herald: TestHerald | undefined;
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
  await herald?.close();
  herald = undefined;
});
async function receiver() {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

const INTERACTION_EVENTS = [
  'interaction.requires_action',
  'interaction.completed',
  'interaction.failed',
  'interaction.cancelled',
];
type VideoOp = {
  name: string;
  done?: boolean;
  response?: {
    generateVideoResponse: { generatedSamples: { video: { uri: string } }[]; raiMediaFilteredCount?: number };
  };
  error?: { code: number; message: string };
};
type Interaction = {
  id: string;
  status: string;
  steps: { type: string; name?: string; id?: string; content?: { type: string; text: string }[] }[];
  errors?: { code: string; message: string }[];
  webhook_config?: unknown;
};

/** Long-polls an interaction until it leaves in_progress. */
async function settle(h: TestHerald, id: string): Promise<Interaction> {
  for (;;) {
    const r = await h.api<Interaction>('GET', `/v1beta/interactions/${id}?wait=60s`);
    expect(r.status).toBe(200);
    if (r.body.status !== 'in_progress') return r.body;
  }
}

describe.each(backends)('Gemini video generation (simulated): $name', (b) => {
  beforeEach(async () => {
    backend = b;
    await b.reset();
  });

  it('predictLongRunning → operation name → done with a downloadable video; video.generated to subscribers', async () => {
    const rx = await receiver();
    herald = await startTestHerald({ config: { timeScale: 1000 } });
    await subscribe(herald, rx, ['video.generated']);
    const res = await herald.api<VideoOp>('POST', '/v1beta/models/veo-3.1-generate-preview:predictLongRunning', {
      instances: [{ prompt: 'a cat surfing' }],
      parameters: { aspectRatio: '16:9' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: expect.stringMatching(/^models\/veo-3\.1-generate-preview\/operations\/[0-9a-z]{12}$/),
    });
    const done = await waitDone<VideoOp>(herald, `/v1beta/${res.body.name}`);
    const uri = done.response!.generateVideoResponse.generatedSamples[0]!.video.uri;
    expect(uri).toMatch(new RegExp(`^${herald.url}/v1beta/files/[0-9a-z]{12}:download\\?alt=media$`));
    const bytes = Buffer.from(await (await fetch(uri, { headers: { 'x-goog-api-key': herald.apiKey } })).arrayBuffer());
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(bytes.toString('latin1')).toContain('a cat surfing');

    const [ev] = eventsOf(await rx.waitFor(1));
    const fileName = uri.slice(uri.indexOf('files/'), uri.indexOf(':download'));
    expect(ev).toMatchObject({
      type: 'video.generated',
      data: { id: res.body.name, output_file_uri: uri, video_uri: uri, file_name: fileName },
    });
  });

  it('top-level webhookConfig sends video.generated only to its URIs; failures and filtered videos fire nothing', async () => {
    const staticRx = await receiver();
    const dyn = await receiver();
    herald = await startTestHerald({ config: { timeScale: 1000 } });
    await subscribe(herald, staticRx, ['video.generated']);
    const start = (prompt: string, extra: Record<string, unknown> = {}) =>
      herald!.api<VideoOp>('POST', '/v1/models/veo-3.1-generate-preview:predictLongRunning', {
        instances: [{ prompt }],
        ...extra,
      });
    const ok = await start('ocean', { webhookConfig: { uris: [dyn.url], userMetadata: { shot: 3 } } });
    const failed = await start('[fail] ocean');
    const filtered = await start('[filtered] ocean');
    await waitDone(herald, `/v1/${ok.body.name}`);
    const f = await waitDone<VideoOp>(herald, `/v1/${failed.body.name}`);
    const r = await waitDone<VideoOp>(herald, `/v1/${filtered.body.name}`);
    expect(f.error).toEqual({ code: 3, message: 'Simulated video failure: the prompt contains "[fail]"' });
    expect(r.response!.generateVideoResponse).toMatchObject({ generatedSamples: [], raiMediaFilteredCount: 1 });
    const ds = await deliveries(herald);
    expect(ds.map((d) => [d.event_type, d.destination.type, d.destination.uri])).toEqual([
      ['video.generated', 'dynamic', dyn.url],
    ]);
    const [ev] = await loggedEvents(herald, ok.body.name);
    expect(ev!.payload.data).toMatchObject({ id: ok.body.name, user_metadata: { shot: 3 } });
    expect(staticRx.requests).toHaveLength(0);
  });
});

describe.each(backends)('Gemini interactions (simulated): $name', (b) => {
  beforeEach(async () => {
    backend = b;
    await b.reset();
  });

  it('background + webhook_config → in_progress, then completed; interaction.completed to the URIs only', async () => {
    const staticRx = await receiver();
    const dyn = await receiver();
    herald = await startTestHerald({ config: { timeScale: 1000 } });
    await subscribe(herald, staticRx, INTERACTION_EVENTS);
    const res = await herald.api<Interaction>('POST', '/v1beta/interactions', {
      model: 'gemini-3-flash-preview',
      input: 'Write a haiku about webhooks',
      background: true,
      webhook_config: { uris: [dyn.url], user_metadata: { job_group: 'nightly-eval' } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'in_progress',
      webhook_config: { uris: [dyn.url], user_metadata: { job_group: 'nightly-eval' } },
    });
    const done = await settle(herald, res.body.id);
    expect(done.status).toBe('completed');
    expect(done.steps[0]!.content![0]!.text).toMatch(/^Simulated response to "Write a haiku about webhooks"/);
    const ds = await deliveries(herald);
    expect(ds.map((d) => [d.event_type, d.destination.uri])).toEqual([['interaction.completed', dyn.url]]);
    const [ev] = await loggedEvents(herald, `interactions/${res.body.id}`);
    expect(ev!.payload.data).toEqual({ id: res.body.id, user_metadata: { job_group: 'nightly-eval' } });
  });

  it('function tools → requires_action; continued with previous_interaction_id and a function_result → completed', async () => {
    const rx = await receiver();
    herald = await startTestHerald({ config: { timeScale: 1000 } });
    await subscribe(herald, rx, INTERACTION_EVENTS);
    const tools = [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }];
    const first = await herald.api<Interaction>('POST', '/v1beta/interactions', {
      model: 'gemini-3-flash-preview',
      input: 'Weather in Paris?',
      tools,
      background: true,
    });
    const waiting = await settle(herald, first.body.id);
    expect(waiting.status).toBe('requires_action');
    const call = waiting.steps[0]!;
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: {} });
    // Function-call steps carry a signature, as on the live API (issue #16, item 12).
    expect((call as { signature?: string }).signature).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const second = await herald.api<Interaction>('POST', '/v1beta/interactions', {
      model: 'gemini-3-flash-preview',
      previous_interaction_id: first.body.id,
      input: [{ type: 'function_result', call_id: call.id, name: 'get_weather', result: 'sunny' }],
      tools,
      background: true,
    });
    expect(second.status).toBe(200);
    expect((await settle(herald, second.body.id)).status).toBe('completed');
    const events = eventsOf(await rx.waitFor(2));
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['interaction.requires_action', { id: first.body.id }],
      ['interaction.completed', { id: second.body.id }],
    ]);
  });

  it('[fail] → failed with interaction.failed; cancel → cancelled with interaction.cancelled; delete', async () => {
    const clock = new ManualClock();
    const rx = await receiver();
    herald = await startTestHerald({ clock });
    await subscribe(herald, rx, INTERACTION_EVENTS);
    const a = await herald.api<Interaction>('POST', '/v1beta/interactions', {
      model: 'gemini-2.5-flash',
      input: 'long task',
      background: true,
    });
    const cancelled = await herald.api<Interaction>('POST', `/v1beta/interactions/${a.body.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    const again = await herald.api<{ error: { status: string } }>('POST', `/v1beta/interactions/${a.body.id}:cancel`);
    expect(again.body.error.status).toBe('FAILED_PRECONDITION');
    expect(eventsOf(await rx.waitFor(1))).toMatchObject([{ type: 'interaction.cancelled', data: { id: a.body.id } }]);
    expect((await herald.api('DELETE', `/v1beta/interactions/${a.body.id}`)).status).toBe(200);
    expect((await herald.api('GET', `/v1beta/interactions/${a.body.id}`)).status).toBe(404);
    await herald.close();

    const rx2 = await receiver();
    herald = await startTestHerald({ config: { timeScale: 1000 } });
    await subscribe(herald, rx2, INTERACTION_EVENTS);
    const b = await herald.api<Interaction>('POST', '/v1beta/interactions', {
      model: 'gemini-2.5-flash',
      input: 'please [fail]',
      background: true,
    });
    const failed = await settle(herald, b.body.id);
    expect(failed).toMatchObject({ status: 'failed', errors: [{ code: 'INTERNAL' }] });
    expect(eventsOf(await rx2.waitFor(1))).toMatchObject([
      { type: 'interaction.failed', data: { id: b.body.id, error_code: 13, error_message: expect.any(String) } },
    ]);
  });

  it('without background the create call answers once the interaction is done, and fires no event', async () => {
    const rx = await receiver();
    herald = await startTestHerald({ config: { timeScale: 1000 } });
    await subscribe(herald, rx, INTERACTION_EVENTS);
    const res = await herald.api<Interaction>('POST', '/v1/interactions', { model: 'gemini-2.5-flash', input: 'hi' });
    expect(res.body.status).toBe('completed');
    // interaction.completed is "LRO in interactions API succeeded": background only (issue #16, item 9).
    expect(await loggedEvents(herald, `interactions/${res.body.id}`)).toEqual([]);
    const bg = await herald.api<Interaction>('POST', '/v1/interactions', {
      model: 'gemini-2.5-flash',
      input: 'hi',
      background: true,
    });
    await settle(herald, bg.body.id);
    expect(eventsOf(await rx.waitFor(1))).toMatchObject([{ type: 'interaction.completed', data: { id: bg.body.id } }]);
    expect((await loggedEvents(herald)).map((e) => e.operation)).toEqual([`interactions/${bg.body.id}`]);
  });

  it("refuses unknown models, and models without the method, with 404 NOT_FOUND in Google's words", async () => {
    herald = await startTestHerald();
    const notFound = (model: string, method: string, version = 'v1beta') =>
      `models/${model} is not found for API version ${version}, or is not supported for ${method}. ` +
      'Call ListModels to see the list of available models and their supported methods.';
    const cases: [string, string, Record<string, unknown>, string][] = [
      [
        '/v1beta/interactions',
        'POST',
        { model: 'gemini-0-nope', input: 'hi' },
        notFound('gemini-0-nope', 'interactions'),
      ],
      [
        '/v1beta/interactions',
        'POST',
        { model: 'veo-3.1-generate-preview', input: 'hi' },
        notFound('veo-3.1-generate-preview', 'interactions'),
      ],
      [
        '/v1beta/models/gemini-2.5-flash:predictLongRunning',
        'POST',
        { instances: [{ prompt: 'sea' }] },
        notFound('gemini-2.5-flash', 'predictLongRunning'),
      ],
      [
        '/v1/models/veo-0:predictLongRunning',
        'POST',
        { instances: [{ prompt: 'sea' }] },
        notFound('veo-0', 'predictLongRunning', 'v1'),
      ],
      [
        '/v1beta/models/veo-3.1-generate-preview:batchGenerateContent',
        'POST',
        { batch: { input_config: { requests: { requests: [{ request: {} }] } } } },
        notFound('veo-3.1-generate-preview', 'batchGenerateContent'),
      ],
    ];
    for (const [path, method, body, message] of cases) {
      const res = await herald.api<{ error: unknown }>(method, path, body);
      expect(res.status, path).toBe(404);
      expect(res.body.error, path).toEqual({ code: 404, status: 'NOT_FOUND', message });
    }
    expect(await loggedEvents(herald)).toEqual([]);
    const listed = await herald.api<{ models: { name: string; supportedGenerationMethods: string[] }[] }>(
      'GET',
      '/v1beta/models',
    );
    expect(listed.body.models.find((m) => m.name === 'models/veo-3.1-generate-preview')).toMatchObject({
      supportedGenerationMethods: ['predictLongRunning'],
    });
  });

  it('names the wrong field of a Gemini request in a BadRequest detail', async () => {
    herald = await startTestHerald();
    const cases: [string, Record<string, unknown>, string][] = [
      ['/v1beta/models/gemini-2.5-flash:batchGenerateContent', {}, 'batch'],
      [
        '/v1beta/models/gemini-2.5-flash:batchGenerateContent',
        { batch: { input_config: { file_name: 'nope' } } },
        'batch.input_config.file_name',
      ],
      ['/v1beta/interactions', { model: 'gemini-2.5-flash' }, 'input'],
      ['/v1beta/interactions', { model: 'gemini-2.5-flash', input: 'x', background: 'yes' }, 'background'],
      ['/v1beta/models/veo-3.1-generate-preview:predictLongRunning', { instances: [] }, 'instances'],
    ];
    for (const [path, body, field] of cases) {
      const res = await herald.api<{ error: { status: string; message: string; details?: unknown[] } }>(
        'POST',
        path,
        body,
      );
      expect(res.status, path).toBe(400);
      expect(res.body.error.details, `${path} ${field}`).toEqual([
        {
          '@type': 'type.googleapis.com/google.rpc.BadRequest',
          fieldViolations: [{ field, description: res.body.error.message }],
        },
      ]);
    }
  });

  it('serves the extra models named in HERALD_SIM_MODELS', async () => {
    process.env.HERALD_SIM_MODELS = 'my-tuned,veo-9=video';
    try {
      herald = await startTestHerald({ config: { timeScale: 1000 } });
    } finally {
      delete process.env.HERALD_SIM_MODELS;
    }
    expect(
      (await herald.api('POST', '/v1beta/models/veo-9:predictLongRunning', { instances: [{ prompt: 'x' }] })).status,
    ).toBe(200);
    const res = await herald.api<Interaction>('POST', '/v1beta/interactions', { model: 'my-tuned', input: 'hi' });
    expect(res.body.status).toBe('completed');
    expect((await herald.api('GET', '/v1beta/models/my-tuned')).body).toMatchObject({ name: 'models/my-tuned' });
  });
});
