import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildEvent } from '../src/model/build-event.js';
import { ManualClock } from '../src/testing/manual-clock.js';
import { connectSse, type SseClient, type SseFrame } from '../src/testing/sse-client.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald as startHerald, type TestHerald } from '../src/testing/test-herald.js';

// One suite, run against every store (SQLite; PostgreSQL, where notices travel by LISTEN/NOTIFY).
const backends = await testBackends('event stream');
let backend = backends[0]!;
const startTestHerald = (opts: Parameters<typeof startHerald>[0] = {}) =>
  startHerald({ ...opts, config: { ...backend.config, ...opts.config } });

let herald: TestHerald | undefined;
const clients: SseClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await herald?.close();
  herald = undefined;
});

async function stream(h: TestHerald, query = '', headers: Record<string, string> = {}) {
  const c = await connectSse(`${h.url}/v1beta/events:stream${query}`, { 'x-goog-api-key': h.apiKey, ...headers });
  clients.push(c);
  return c;
}

/**
 * The sequences of the events this test emitted, in order: 1, 2, 3 … on SQLite; large and gapped
 * on PostgreSQL (ADR 0012). `seq(n)` is the n-th one (from 1), so expectations read the same.
 */
let log: number[] = [];
const seq = (n: number) => log[n - 1]!;

/** Appends an event straight through the store (no webhooks: no deliveries). */
const emit = async (h: TestHerald, type = 'job.done', n = 0) => {
  const r = await h.herald.store.emitEvent(
    buildEvent({
      projectId: h.herald.projectId,
      type,
      data: { n },
      now: Date.now(),
      target: { kind: 'subscribers' },
      timeScale: 1,
    }),
  );
  log.push(r.event.sequence);
  return r;
};

const seqs = (frames: SseFrame[]) => frames.map((f) => Number(f.id));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => seq(from + i));

describe.each(backends)('GET /v1beta/events:stream (SSE): $name', (b) => {
  beforeEach(async () => {
    backend = b;
    log = [];
    await b.reset();
  });

  it('replays, then streams live events, as text/event-stream frames equal to the Event resource', async () => {
    herald = await startTestHerald();
    const first = await herald.api<{ id: string; sequence: number }>('POST', '/v1beta/events', {
      type: 'invoice.ready',
      data: { id: 'inv_1' },
    });
    const c = await stream(herald);
    expect(c.status).toBe(200);
    expect(c.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(c.headers.get('cache-control')).toBe('no-cache, no-transform');
    const [replayed] = await c.waitForFrames(1);
    const resource = await herald.api('GET', `/v1beta/events/${first.body.id}`);
    expect(replayed).toEqual({
      id: String(first.body.sequence),
      event: 'invoice.ready',
      data: JSON.stringify(resource.body),
    });

    const second = await herald.api<{ sequence: number }>('POST', '/v1beta/events', {
      type: 'invoice.paid',
      data: { id: 'inv_1' },
    });
    const frames = await c.waitForFrames(2);
    expect(frames[1]).toMatchObject({ id: String(second.body.sequence), event: 'invoice.paid' });
    expect(second.body.sequence).toBeGreaterThan(first.body.sequence);
    expect(JSON.parse(frames[1]!.data!)).toMatchObject({
      sequence: second.body.sequence,
      type: 'invoice.paid',
      payload: { data: { id: 'inv_1' } },
    });
  });

  it('has no gap and no duplicate across the replay → live boundary, even with events committing during the replay', async () => {
    herald = await startTestHerald();
    const h = herald;
    for (let i = 0; i < 1200; i++) await emit(h, 'job.done', i); // more than two replay pages
    const during = (async () => {
      for (let i = 0; i < 300; i++) {
        await emit(h, 'job.done', 1200 + i);
        if (i % 10 === 0) await new Promise((r) => setImmediate(r));
      }
    })();
    const c = await stream(h);
    await during;
    for (let i = 0; i < 20; i++) await emit(h, 'job.done', 1500 + i);
    const frames = await c.waitForFrames(1520);
    expect(seqs(frames)).toEqual(range(1, 1520));
  });

  it('resumes after Last-Event-ID without gaps or duplicates', async () => {
    herald = await startTestHerald();
    for (let i = 0; i < 5; i++) await emit(herald);
    const a = await stream(herald);
    await a.waitForFrames(5);
    for (let i = 0; i < 5; i++) await emit(herald);
    const seen = await a.waitForFrames(10);
    a.close();
    await a.ended;

    for (let i = 0; i < 5; i++) await emit(herald); // missed while disconnected: 11..15
    const last = seen.at(-1)!.id!;
    const b = await stream(herald, '', { 'last-event-id': last });
    await b.waitForFrames(5);
    for (let i = 0; i < 5; i++) await emit(herald); // live again: 16..20
    const resumed = await b.waitForFrames(10);
    expect(seqs([...seen, ...resumed])).toEqual(range(1, 20));
  });

  it('starts after ?after=, and Last-Event-ID wins over ?after', async () => {
    herald = await startTestHerald();
    for (let i = 0; i < 6; i++) await emit(herald);
    const byQuery = await stream(herald, `?after=${seq(4)}`);
    expect(seqs(await byQuery.waitForFrames(2))).toEqual([seq(5), seq(6)]);
    const byHeader = await stream(herald, `?after=${seq(1)}`, { 'last-event-id': String(seq(5)) });
    expect(seqs(await byHeader.waitForFrames(1))).toEqual([seq(6)]);
    await emit(herald);
    expect(seqs(await byHeader.waitForFrames(2))).toEqual([seq(6), seq(7)]);
    expect(seqs(await byQuery.waitForFrames(3))).toEqual([seq(5), seq(6), seq(7)]);
  });

  it('filters by ?types= and resumes a filtered stream by its last id', async () => {
    herald = await startTestHerald();
    await emit(herald, 'a.x'); // 1
    await emit(herald, 'b.y'); // 2
    await emit(herald, 'a.x'); // 3
    const c = await stream(herald, '?types=a.x,c.z');
    expect(await c.waitForFrames(2)).toMatchObject([
      { id: String(seq(1)), event: 'a.x' },
      { id: String(seq(3)), event: 'a.x' },
    ]);
    await emit(herald, 'b.y'); // 4
    await emit(herald, 'c.z'); // 5
    await emit(herald, 'a.x'); // 6
    expect(seqs(await c.waitForFrames(4))).toEqual([seq(1), seq(3), seq(5), seq(6)]);
    c.close();

    await emit(herald, 'b.y'); // 7
    await emit(herald, 'a.x'); // 8
    const r = await stream(herald, '?types=a.x', { 'last-event-id': String(seq(6)) });
    expect(await r.waitForFrames(1)).toMatchObject([{ id: String(seq(8)), event: 'a.x' }]);
  });

  it('sends a heartbeat comment every 15 s', async () => {
    const clock = new ManualClock();
    herald = await startTestHerald({ clock });
    const c = await stream(herald);
    await c.waitForComments(1); // ': connected'
    clock.advance(15_000);
    expect(await c.waitForComments(2)).toEqual(['connected', 'heartbeat']);
    clock.advance(15_000);
    expect((await c.waitForComments(3))[2]).toBe('heartbeat');
  });

  it('cleans up on disconnect, and ends open streams when the server closes', async () => {
    herald = await startTestHerald();
    const feed = herald.herald.eventFeed;
    const a = await stream(herald);
    const b = await stream(herald, '?types=a.x');
    await a.waitForComments(1);
    await b.waitForComments(1);
    expect(feed.watchers).toBe(2);
    a.close();
    await vi.waitFor(() => expect(feed.watchers).toBe(1));
    await emit(herald); // nothing is written to the closed stream; the open one still works
    await emit(herald, 'a.x');
    expect(seqs(await b.waitForFrames(1))).toEqual([seq(2)]);

    await herald.close();
    await b.ended;
    expect(feed.watchers).toBe(0);
    herald = undefined;
  });

  it('rejects a bad cursor and a missing API key with clear errors', async () => {
    herald = await startTestHerald();
    const bad = await herald.api<{ error: { message: string; status: string } }>(
      'GET',
      '/v1beta/events:stream?after=abc',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/after must be an event sequence number/);
    const badHeader = await herald.api<{ error: { message: string } }>('GET', '/v1beta/events:stream', undefined, {
      'last-event-id': '-1',
    });
    expect(badHeader.status).toBe(400);
    expect(badHeader.body.error.message).toMatch(/Last-Event-ID/);
    const anon = await fetch(`${herald.url}/v1beta/events:stream`);
    expect(anon.status).toBe(403);
  });

  it('accepts the API key as ?key= (EventSource cannot send headers)', async () => {
    herald = await startTestHerald();
    await emit(herald);
    const c = await connectSse(`${herald.url}/v1/events:stream?key=${herald.apiKey}`);
    clients.push(c);
    expect(seqs(await c.waitForFrames(1))).toEqual([seq(1)]);
  });
});
