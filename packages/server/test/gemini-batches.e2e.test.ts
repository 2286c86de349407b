import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { deliveries, eventsOf, loggedEvents, subscribe, waitDone } from '../src/testing/operation-helpers.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald as startHerald, type TestHerald } from '../src/testing/test-herald.js';

// One suite, run against every store (SQLite; PostgreSQL when reachable).
const backends = await testBackends('Gemini batches');
let backend = backends[0]!;
const startTestHerald = (opts: Parameters<typeof startHerald>[0] = {}) =>
  startHerald({ ...opts, config: { ...backend.config, ...opts.config } });

let herald: TestHerald | undefined;
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
  await herald?.close();
  herald = undefined;
  delete process.env.HERALD_SIMULATOR;
  delete process.env.HERALD_SIM_BATCH_MS;
});
async function receiver() {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

const BATCH_EVENTS = ['batch.succeeded', 'batch.failed', 'batch.cancelled', 'batch.expired'];
type Batch = {
  name: string;
  done: boolean;
  metadata: {
    state: string;
    displayName: string;
    batchStats: Record<string, string>;
    output?: Record<string, unknown>;
  };
  response?: Record<string, unknown>;
  error?: { code: number; message: string };
};
const request = (text: string, key?: string) => ({
  request: { contents: [{ role: 'user', parts: [{ text }] }] },
  ...(key ? { metadata: { key } } : {}),
});

async function createBatch(h: TestHerald, batch: Record<string, unknown>, model = 'gemini-2.5-flash') {
  const res = await h.api<Batch>('POST', `/v1beta/models/${model}:batchGenerateContent`, { batch });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function upload(h: TestHerald, content: string, name = 'input.jsonl') {
  const res = await fetch(`${h.url}/upload/v1beta/files?display_name=${name}`, {
    method: 'POST',
    headers: { 'x-goog-api-key': h.apiKey, 'content-type': 'application/jsonl' },
    body: content,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { file: { name: string } }).file;
}

describe.each(backends)('Gemini batches (simulated): $name', (b) => {
  beforeEach(async () => {
    backend = b;
    await b.reset();
  });

  it('inline batch: PENDING → SUCCEEDED with inlined responses; batch.succeeded without output_file_uri', async () => {
    const rx = await receiver();
    herald = await startTestHerald({ config: { timeScale: 1000 } });
    await subscribe(herald, rx, BATCH_EVENTS);
    const created = await createBatch(herald, {
      display_name: 'nightly',
      input_config: { requests: { requests: [request('hello there', 'r1'), request('[fail] this one')] } },
    });
    expect(created.name).toMatch(/^batches\/[0-9a-z]{36}$/);
    expect(created).toMatchObject({
      done: false,
      metadata: {
        '@type': 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch',
        model: 'models/gemini-2.5-flash',
        displayName: 'nightly',
        state: 'BATCH_STATE_PENDING',
        batchStats: { requestCount: '2', pendingRequestCount: '2' },
        name: created.name,
      },
    });
    const done = await waitDone<Batch>(herald, `/v1beta/${created.name}`);
    expect(done.metadata.state).toBe('BATCH_STATE_SUCCEEDED');
    expect(done.metadata.batchStats).toEqual({
      requestCount: '2',
      successfulRequestCount: '1',
      failedRequestCount: '1',
    });
    const inlined = (
      done.response as {
        inlinedResponses: {
          inlinedResponses: {
            metadata?: unknown;
            error?: unknown;
            response: { candidates: { content: { parts: { text: string }[] } }[] };
          }[];
        };
      }
    ).inlinedResponses.inlinedResponses;
    expect(inlined[0]!.metadata).toEqual({ key: 'r1' });
    expect(inlined[0]!.response.candidates[0]!.content.parts[0]!.text).toMatch(/^Simulated response to "hello there"/);
    expect(inlined[1]!.error).toMatchObject({ code: 3 });
    expect(done.metadata.output).toEqual({ inlinedResponses: { inlinedResponses: inlined } });

    const events = eventsOf(await rx.waitFor(1));
    expect(events).toMatchObject([{ type: 'batch.succeeded', data: { id: created.name } }]);
    expect(events[0]!.data).toEqual({ id: created.name });
    expect(await loggedEvents(herald, created.name)).toHaveLength(1);
  });

  it('file batch: uploaded JSONL in, files/batch-{id} JSONL out; only the dynamic URIs get batch.succeeded', async () => {
    const staticRx = await receiver();
    const dyn = await receiver();
    herald = await startTestHerald({ config: { timeScale: 1000 } });
    await subscribe(herald, staticRx, BATCH_EVENTS);
    const input = await upload(
      herald,
      ['a', 'b']
        .map((k) => JSON.stringify({ key: k, request: { contents: [{ parts: [{ text: `say ${k}` }] }] } }))
        .join('\n'),
    );
    const created = await createBatch(herald, {
      displayName: 'from-file',
      inputConfig: { fileName: input.name },
      webhookConfig: { uris: [dyn.url], userMetadata: { run: 42 } },
    });
    // Counted from the file at once, as Gemini reports a pending file batch (issue #16, item 11).
    expect(created.metadata.batchStats).toEqual({ requestCount: '2', pendingRequestCount: '2' });
    const id = created.name.slice('batches/'.length);
    const done = await waitDone<Batch>(herald, `/v1/${created.name}`);
    expect(done.metadata).toMatchObject({
      state: 'BATCH_STATE_SUCCEEDED',
      inputConfig: { fileName: input.name },
      output: { responsesFile: `files/batch-${id}` },
    });
    expect(done.response).toEqual({
      '@type': 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput',
      responsesFile: `files/batch-${id}`,
    });
    const meta = await herald.api<{ name: string; mimeType: string; sizeBytes: string }>(
      'GET',
      `/v1beta/files/batch-${id}`,
    );
    expect(meta.body).toMatchObject({ name: `files/batch-${id}`, mimeType: 'application/jsonl', source: 'GENERATED' });
    const uploaded = await herald.api('GET', `/v1beta/${input.name}`);
    expect(uploaded.body).toMatchObject({ name: input.name, source: 'UPLOADED' }); // item 7
    const dl = await fetch(`${herald.url}/v1beta/files/batch-${id}:download?alt=media`, {
      headers: { 'x-goog-api-key': herald.apiKey },
    });
    const lines = (await dl.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.key)).toEqual(['a', 'b']);
    expect(lines[1].response.candidates[0].content.parts[0].text).toMatch(/^Simulated response to "say b"/);
    expect(Number(meta.body.sizeBytes)).toBeGreaterThan(0);

    const ds = await deliveries(herald);
    expect(ds.map((d) => [d.event_type, d.destination.type, d.destination.uri])).toEqual([
      ['batch.succeeded', 'dynamic', dyn.url],
    ]);
    const [ev] = await loggedEvents(herald, created.name);
    expect(ev!.payload.data).toEqual({
      id: created.name,
      output_file_uri: `files/batch-${id}`,
      user_metadata: { run: 42 },
    });
    expect(staticRx.requests).toHaveLength(0);
  });

  it('[fail] and [expire] in display_name end the batch FAILED / EXPIRED with their events', async () => {
    const rx = await receiver();
    herald = await startTestHerald({ config: { timeScale: 1000 } });
    await subscribe(herald, rx, BATCH_EVENTS);
    const one = { input_config: { requests: { requests: [request('x')] } } };
    const failing = await createBatch(herald, { display_name: 'bad [fail]', ...one });
    const expiring = await createBatch(herald, { display_name: 'slow [expire]', ...one });
    const f = await waitDone<Batch>(herald, `/v1beta/${failing.name}`);
    const e = await waitDone<Batch>(herald, `/v1beta/${expiring.name}`);
    expect(f.metadata.state).toBe('BATCH_STATE_FAILED');
    expect(f.error).toEqual({ code: 13, message: 'Simulated batch failure: display_name contains "[fail]"' });
    expect(e.metadata.state).toBe('BATCH_STATE_EXPIRED');
    const events = eventsOf(await rx.waitFor(2));
    expect(events.map((x) => [x.type, x.data]).sort()).toEqual([
      ['batch.expired', { id: expiring.name }],
      ['batch.failed', { id: failing.name, error_code: 13, error_message: f.error!.message }],
    ]);
  });

  it('cancel → CANCELLED and batch.cancelled; cancelling again is FAILED_PRECONDITION; delete removes it', async () => {
    const clock = new ManualClock();
    const rx = await receiver();
    herald = await startTestHerald({ clock });
    await subscribe(herald, rx, BATCH_EVENTS);
    const b = await createBatch(herald, { input_config: { requests: { requests: [request('x')] } } });
    const id = b.name.slice('batches/'.length);
    const res = await herald.api('POST', `/v1beta/batches/${id}:cancel`);
    expect(res).toEqual({ status: 200, body: {} });
    const got = await herald.api<Batch>('GET', `/v1beta/batches/${id}`);
    expect(got.body).toMatchObject({ done: true, metadata: { state: 'BATCH_STATE_CANCELLED' } });
    const again = await herald.api<{ error: { status: string; message: string } }>(
      'POST',
      `/v1beta/batches/${id}:cancel`,
    );
    expect(again.status).toBe(400);
    expect(again.body.error.status).toBe('FAILED_PRECONDITION');
    expect(again.body.error.message).toMatch(/it is cancelled/);
    expect(got.body).toEqual((await herald.api<Batch>('GET', `/v1beta/batches/${id}`)).body); // nothing written
    expect((await loggedEvents(herald, b.name)).map((e) => e.type)).toEqual(['batch.cancelled']);
    expect(eventsOf(await rx.waitFor(1))).toMatchObject([{ type: 'batch.cancelled', data: { id: b.name } }]);
    expect((await herald.api('DELETE', `/v1beta/batches/${id}`)).status).toBe(200);
    expect((await herald.api('GET', `/v1beta/batches/${id}`)).status).toBe(404);
  });

  it('a batch still pending after 48 h (scaled) expires with batch.expired', async () => {
    process.env.HERALD_SIMULATOR = 'off'; // nothing runs it
    const clock = new ManualClock();
    const rx = await receiver();
    herald = await startTestHerald({ clock, config: { timeScale: 3600 } });
    await subscribe(herald, rx, BATCH_EVENTS);
    const b = await createBatch(herald, { input_config: { requests: { requests: [request('x')] } } });
    const waiting = herald.api<Batch>('GET', `/v1beta/${b.name}?wait=60s`);
    clock.advance(47_000); // 48 h / 3600 = 48 s
    clock.advance(1_001);
    const done = await waiting;
    expect(done.body.metadata.state).toBe('BATCH_STATE_EXPIRED');
    expect(eventsOf(await rx.waitFor(1))).toMatchObject([{ type: 'batch.expired', data: { id: b.name } }]);
  });

  it('a batch still running after 48 h (scaled) expires too; batch.expired fires once and the late run changes nothing', async () => {
    process.env.HERALD_SIM_BATCH_MS = String(7 * 86_400_000); // the simulated run outlasts the 48 h
    const clock = new ManualClock();
    const rx = await receiver();
    herald = await startTestHerald({ clock, config: { timeScale: 3600 } });
    await subscribe(herald, rx, BATCH_EVENTS);
    const b = await createBatch(herald, { input_config: { requests: { requests: [request('x')] } } });
    await vi.waitFor(async () => {
      const got = await herald!.api<Batch>('GET', `/v1beta/${b.name}`);
      expect(got.body.metadata.state).toBe('BATCH_STATE_RUNNING');
    });
    const waiting = herald.api<Batch>('GET', `/v1beta/${b.name}?wait=60s`);
    clock.advance(48_000 - 1);
    clock.advance(1);
    const done = await waiting;
    expect(done.body).toMatchObject({ done: true, metadata: { state: 'BATCH_STATE_EXPIRED' } });
    expect(eventsOf(await rx.waitFor(1))).toMatchObject([{ type: 'batch.expired', data: { id: b.name } }]);
    clock.advance(7 * 86_400_000); // the stopped run never finishes it afterwards
    expect((await herald.api<Batch>('GET', `/v1beta/${b.name}`)).body.metadata.state).toBe('BATCH_STATE_EXPIRED');
    expect((await loggedEvents(herald, b.name)).map((e) => e.type)).toEqual(['batch.expired']);
  });

  it('lists batches newest first as {operations, nextPageToken}', async () => {
    herald = await startTestHerald({ clock: new ManualClock() });
    const one = { input_config: { requests: { requests: [request('x')] } } };
    for (let i = 0; i < 3; i++) await createBatch(herald, { display_name: `b${i}`, ...one });
    const p1 = await herald.api<{ operations: Batch[]; nextPageToken?: string }>('GET', '/v1beta/batches?pageSize=2');
    expect(p1.body.operations).toHaveLength(2);
    const p2 = await herald.api<{ operations: Batch[]; nextPageToken?: string }>(
      'GET',
      `/v1beta/batches?pageSize=2&pageToken=${p1.body.nextPageToken}`,
    );
    expect(p2.body.operations).toHaveLength(1);
    expect(p2.body.nextPageToken).toBeUndefined();
  });
});
