import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgument, NotFound } from '../src/index.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald as startHerald, type TestHerald } from '../src/testing/test-herald.js';

// POST /v1beta/events:batchCreate and herald.events.emitMany, on every store.
const backends = await testBackends('batch ingest');
let backend = backends[0]!;
const startTestHerald = () => startHerald({ config: { ...backend.config } });

let herald: TestHerald | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await herald?.close();
  await receiver?.close();
  herald = receiver = undefined;
});

type Ev = { id: string; type: string; sequence: number; payload: { data: Record<string, unknown> } };
type ErrorBody = { error: { code: number; status: string; message: string } };

describe.each(backends)('batch ingest: $name', (b) => {
  beforeEach(async () => {
    backend = b;
    await b.reset();
  });

  it('emits every event in request order, in one transaction, and delivers each', async () => {
    herald = await startTestHerald();
    receiver = await startReceiver();
    await herald.api('POST', '/v1beta/webhooks', { uri: receiver.url, subscribed_events: ['invoice.ready'] });
    const requests = Array.from({ length: 50 }, (_, i) => ({ type: 'invoice.ready', data: { n: i } }));
    const res = await herald.api<{ events: Ev[] }>('POST', '/v1beta/events:batchCreate', { requests });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.events.map((e) => e.payload.data.n)).toEqual(requests.map((r) => r.data.n));
    const seqs = res.body.events.map((e) => e.sequence);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const received = await receiver.waitFor(50);
    expect(new Set(received.map((r) => (JSON.parse(r.body) as { data: { n: number } }).data.n)).size).toBe(50);
  });

  it('is all or nothing: a bad item is a 400 naming its index and field, and nothing is emitted', async () => {
    herald = await startTestHerald();
    const res = await herald.api<ErrorBody>('POST', '/v1beta/events:batchCreate', {
      requests: [
        { type: 'invoice.ready', data: {} },
        { type: 'invoice.ready', data: {} },
        { type: 'NotAType', data: {} },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.status).toBe('INVALID_ARGUMENT');
    expect(res.body.error.message).toMatch(/^requests\[2\]\.type: /);
    const log = await herald.api<{ events: Ev[] }>('GET', '/v1beta/events');
    expect(log.body.events).toEqual([]);
  });

  it('names the item whose data is too large, with a 400 for the batch', async () => {
    herald = await startTestHerald();
    const big = 'x'.repeat(300 * 1024);
    const res = await herald.api<ErrorBody>('POST', '/v1beta/events:batchCreate', {
      requests: [
        { type: 'a.b', data: {} },
        { type: 'a.b', data: { big } },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^requests\[1\]\.data: data is \d+ bytes/);
  });

  it('returns the original event for a repeated idempotency key, and refuses a key twice in one batch', async () => {
    herald = await startTestHerald();
    const first = await herald.api<{ events: Ev[] }>('POST', '/v1beta/events:batchCreate', {
      requests: [{ type: 'a.b', data: { v: 1 }, idempotency_key: 'k1' }],
    });
    const again = await herald.api<{ events: Ev[] }>('POST', '/v1beta/events:batchCreate', {
      requests: [
        { type: 'a.b', data: { v: 2 }, idempotency_key: 'k2' },
        { type: 'a.b', data: { v: 1 }, idempotency_key: 'k1' },
      ],
    });
    expect(again.status).toBe(200);
    expect(again.body.events[1]!.id).toBe(first.body.events[0]!.id);
    expect(again.body.events[0]!.payload.data).toEqual({ v: 2 });
    const twice = await herald.api<ErrorBody>('POST', '/v1beta/events:batchCreate', {
      requests: [
        { type: 'a.b', data: {}, idempotency_key: 'k3' },
        { type: 'a.b', data: {}, idempotency_key: 'k3' },
      ],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toContain('requests[1].idempotency_key repeats requests[0].idempotency_key');
    const log = await herald.api<{ events: Ev[] }>('GET', '/v1beta/events');
    expect(log.body.events).toHaveLength(2);
  });

  it('refuses an empty batch and one over 1,000 events with a clear 400', async () => {
    herald = await startTestHerald();
    const empty = await herald.api<ErrorBody>('POST', '/v1beta/events:batchCreate', { requests: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('requests must hold 1 to 1000 events');
    const requests = Array.from({ length: 1001 }, () => ({ type: 'a.b', data: {} }));
    const over = await herald.api<ErrorBody>('POST', '/v1beta/events:batchCreate', { requests });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toContain('at most 1000 fit in one batch');
  });

  it('is there in process too: herald.events.emitMany', async () => {
    herald = await startTestHerald();
    const results = await herald.herald.events.emitMany(herald.herald.projectId, [
      { type: 'a.b', data: { i: 1 } },
      { type: 'a.c', data: { i: 2 } },
    ]);
    expect(results.map((r) => [r.event.type, r.duplicate])).toEqual([
      ['a.b', false],
      ['a.c', false],
    ]);
    // In process, refusals are the exported domain errors, with the offending field.
    const bad = herald.herald.events.emitMany(herald.herald.projectId, [{ type: 'Bad Type', data: {} }]);
    await expect(bad).rejects.toBeInstanceOf(InvalidArgument);
    await expect(bad).rejects.toMatchObject({ code: 'invalid_argument', field: 'requests[0].type' });
    await expect(herald.herald.events.get(herald.herald.projectId, 'evt_nope')).rejects.toBeInstanceOf(NotFound);
  });
});
