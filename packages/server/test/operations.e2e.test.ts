import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { deliveries, eventsOf, loggedEvents, subscribe, type DeliveryView } from '../src/testing/operation-helpers.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald as startHerald, type TestHerald } from '../src/testing/test-herald.js';

// One suite, run against every store (SQLite; PostgreSQL when reachable).
const backends = await testBackends('operations end to end');
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
async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

type Op = {
  name: string;
  id: string;
  state: string;
  done: boolean;
  lease_id?: string;
  result?: unknown;
  error?: unknown;
};
const OP_EVENTS = ['operation.succeeded', 'operation.failed', 'operation.cancelled', 'operation.progress'];

async function createOp(h: TestHerald, body: Record<string, unknown>, headers?: Record<string, string>) {
  const res = await h.api<Op>('POST', '/v1beta/operations', body, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
async function lease(h: TestHerald, kinds: string[], extra: Record<string, unknown> = {}) {
  const res = await h.api<{ operations: Op[] }>('POST', '/v1beta/operations:lease', { kinds, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.operations;
}

describe.each(backends)('custom operations and the worker API: $name', (b) => {
  beforeEach(async () => {
    backend = b;
    await b.reset();
  });

  it('create → lease → progress → complete fires operation.progress and operation.succeeded to subscribers', async () => {
    const rx = await receiver();
    herald = await startTestHerald();
    const wh = await subscribe(herald, rx, OP_EVENTS);
    const op = await createOp(herald, { kind: 'render.video', metadata: { frames: 10 } });
    expect(op).toMatchObject({ state: 'pending', done: false, name: `operations/${op.id}` });

    const [leased] = await lease(herald, ['render.video'], { lease_seconds: 30 });
    expect(leased).toMatchObject({ name: op.name, state: 'running', attempt: 1 });
    expect(leased!.lease_id).toMatch(/^lease_/);
    const id = op.id;
    const lid = leased!.lease_id!;

    const hb = await herald.api<Op>('POST', `/v1beta/operations/${id}:heartbeat`, { lease_id: lid });
    expect(hb.status).toBe(200);
    const pr = await herald.api<Op>('POST', `/v1beta/operations/${id}:progress`, {
      lease_id: lid,
      percent: 50,
      message: 'half',
    });
    expect(pr.body).toMatchObject({ progress: { percent: 50, message: 'half' } });
    await rx.waitFor(1);
    const done = await herald.api<Op>('POST', `/v1beta/operations/${id}:complete`, {
      lease_id: lid,
      result: { url: 'https://cdn.example.com/x.mp4' },
    });
    expect(done.body).toMatchObject({
      state: 'succeeded',
      done: true,
      result: { url: 'https://cdn.example.com/x.mp4' },
    });

    const reqs = await rx.waitFor(2);
    const events = eventsOf(reqs);
    expect(events.map((e) => e.type)).toEqual(['operation.progress', 'operation.succeeded']);
    expect(events[0]!.data).toEqual({ id: op.name, kind: 'render.video', progress: { percent: 50, message: 'half' } });
    expect(events[1]!.data).toEqual({
      id: op.name,
      kind: 'render.video',
      result: { url: 'https://cdn.example.com/x.mp4' },
    });
    for (const r of reqs)
      new StandardWebhook(wh.new_signing_secret).verify(r.body, r.headers as Record<string, string>);

    const got = await herald.api<Op>('GET', `/v1beta/operations/${id}`);
    expect(got.body).toMatchObject({ state: 'succeeded', result: { url: 'https://cdn.example.com/x.mp4' } });
    expect(got.body.lease_id).toBeUndefined();
  });

  it('fail fires operation.failed with error_code and error_message; cancel fires operation.cancelled', async () => {
    const rx = await receiver();
    herald = await startTestHerald();
    await subscribe(herald, rx, OP_EVENTS);
    const a = await createOp(herald, { kind: 'etl' });
    const [la] = await lease(herald, ['etl']);
    const failed = await herald.api<Op>('POST', `/v1beta/operations/${a.id}:fail`, {
      lease_id: la!.lease_id,
      error: { code: 'SOURCE_MISSING', message: 'bucket not found' },
    });
    expect(failed.body).toMatchObject({
      state: 'failed',
      error: { code: 'SOURCE_MISSING', message: 'bucket not found' },
    });
    const b = await createOp(herald, { kind: 'etl' });
    const cancelled = await herald.api<Op>('POST', `/v1beta/operations/${b.id}:cancel`);
    expect(cancelled.body).toMatchObject({ state: 'cancelled', done: true });

    const events = eventsOf(await rx.waitFor(2));
    expect(events.map((e) => [e.type, e.data])).toEqual([
      [
        'operation.failed',
        { id: a.name, kind: 'etl', error_code: 'SOURCE_MISSING', error_message: 'bucket not found' },
      ],
      ['operation.cancelled', { id: b.name, kind: 'etl' }],
    ]);
  });

  it('only the lease holder may report: a wrong lease is ABORTED, a cancelled operation FAILED_PRECONDITION', async () => {
    const clock = new ManualClock();
    herald = await startTestHerald({ clock });
    const op = await createOp(herald, { kind: 'etl' });
    const [first] = await lease(herald, ['etl'], { lease_seconds: 10 });
    const wrong = await herald.api<{ error: { status: string; message: string } }>(
      'POST',
      `/v1beta/operations/${op.id}:complete`,
      { lease_id: 'lease_nope', result: 1 },
    );
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.status).toBe('ABORTED');
    expect(wrong.body.error.message).toMatch(/lease_id is not the operation's current lease/);

    // The lease expires: the operation is leased again, attempt 2; the old lease is refused.
    expect(await lease(herald, ['etl'])).toEqual([]);
    clock.advance(10_001);
    const [second] = await lease(herald, ['etl']);
    expect(second).toMatchObject({ name: op.name, attempt: 2 });
    const stale = await herald.api('POST', `/v1beta/operations/${op.id}:heartbeat`, { lease_id: first!.lease_id });
    expect(stale.status).toBe(409);

    await herald.api('POST', `/v1beta/operations/${op.id}:cancel`);
    const late = await herald.api<{ error: { status: string; message: string } }>(
      'POST',
      `/v1beta/operations/${op.id}:progress`,
      { lease_id: second!.lease_id, percent: 10 },
    );
    expect(late.status).toBe(400);
    expect(late.body.error).toMatchObject({ status: 'FAILED_PRECONDITION' });
    expect(late.body.error.message).toMatch(/it is cancelled; stop working on it/);
    const again = await herald.api<{ error: { status: string } }>('POST', `/v1beta/operations/${op.id}:cancel`);
    expect(again.status).toBe(400);
    expect(again.body.error.status).toBe('FAILED_PRECONDITION');
    expect((await loggedEvents(herald, op.name)).map((e) => e.type)).toEqual(['operation.cancelled']); // nothing written
  });

  it('a heartbeat extends the lease: the operation is not handed out again until the new lease ends', async () => {
    const clock = new ManualClock();
    herald = await startTestHerald({ clock });
    const op = await createOp(herald, { kind: 'etl' });
    const [held] = await lease(herald, ['etl'], { lease_seconds: 10 });
    clock.advance(8_000);
    const hb = await herald.api<Op & { lease_expire_time: string }>('POST', `/v1beta/operations/${op.id}:heartbeat`, {
      lease_id: held!.lease_id,
      lease_seconds: 10,
    });
    expect(hb.status).toBe(200);
    expect(Date.parse(hb.body.lease_expire_time)).toBe(clock.now() + 10_000);
    clock.advance(8_000); // 16 s after the lease: past the first lease, inside the extended one
    expect(await lease(herald, ['etl'])).toEqual([]);
    const done = await herald.api<Op>('POST', `/v1beta/operations/${op.id}:complete`, { lease_id: held!.lease_id });
    expect(done.body).toMatchObject({ state: 'succeeded', attempt: 1 });

    // Without a heartbeat the lease ends on time and the next worker gets attempt 2.
    const other = await createOp(herald, { kind: 'etl' });
    await lease(herald, ['etl'], { lease_seconds: 10 });
    clock.advance(10_001);
    expect(await lease(herald, ['etl'])).toMatchObject([{ name: other.name, attempt: 2 }]);
  });

  it('Idempotency-Key: a repeat returns the original operation', async () => {
    herald = await startTestHerald();
    const a = await createOp(herald, { kind: 'etl', metadata: { n: 1 } }, { 'idempotency-key': 'k1' });
    const res = await herald.api<Op>(
      'POST',
      '/v1beta/operations',
      { kind: 'etl', metadata: { n: 1 } },
      { 'idempotency-key': 'k1' },
    );
    expect(res.body.name).toBe(a.name);
    const list = await herald.api<{ operations: Op[] }>('GET', '/v1beta/operations');
    expect(list.body.operations).toHaveLength(1);
  });

  it('lists with kind and state filters and pages', async () => {
    herald = await startTestHerald();
    for (let i = 0; i < 3; i++) await createOp(herald, { kind: 'a.b' });
    const other = await createOp(herald, { kind: 'c' });
    await herald.api('POST', `/v1beta/operations/${other.id}:cancel`);
    const page1 = await herald.api<{ operations: Op[]; next_page_token?: string }>(
      'GET',
      '/v1beta/operations?kind=a.b&page_size=2',
    );
    expect(page1.body.operations).toHaveLength(2);
    const page2 = await herald.api<{ operations: Op[]; next_page_token?: string }>(
      'GET',
      `/v1beta/operations?kind=a.b&page_size=2&page_token=${page1.body.next_page_token}`,
    );
    expect(page2.body.operations).toHaveLength(1);
    expect(page2.body.next_page_token).toBeUndefined();
    const cancelled = await herald.api<{ operations: Op[] }>('GET', '/v1/operations?state=cancelled');
    expect(cancelled.body.operations.map((o) => o.name)).toEqual([other.name]);
  });

  it('webhook_config.uris replace the static webhooks; user_metadata is carried in data', async () => {
    const staticRx = await receiver();
    const dyn1 = await receiver();
    const dyn2 = await receiver();
    herald = await startTestHerald();
    await subscribe(herald, staticRx, OP_EVENTS);
    const op = await createOp(herald, {
      kind: 'etl',
      webhook_config: { uris: [dyn1.url, dyn2.url], userMetadata: { job_group: 'nightly' } },
    });
    expect(op).toMatchObject({
      webhook_config: { uris: [dyn1.url, dyn2.url], user_metadata: { job_group: 'nightly' } },
    });
    const [l] = await lease(herald, ['etl']);
    await herald.api('POST', `/v1beta/operations/${op.id}:complete`, { lease_id: l!.lease_id, result: { ok: true } });

    const ds = await deliveries(herald);
    expect(ds.map((d) => `${d.event_type} ${d.destination.type} ${d.destination.uri}`).sort()).toEqual(
      [`operation.succeeded dynamic ${dyn1.url}`, `operation.succeeded dynamic ${dyn2.url}`].sort(),
    );
    const [ev] = await loggedEvents(herald, op.name);
    expect(ev!.payload.data).toEqual({
      id: op.name,
      kind: 'etl',
      result: { ok: true },
      user_metadata: { job_group: 'nightly' },
    });
    // Each URI is its own delivery: both receive the same message (webhook-id) and body.
    const [a] = await dyn1.waitFor(1);
    const [b] = await dyn2.waitFor(1);
    for (const r of [a!, b!]) {
      expect(r.headers['webhook-id']).toMatch(/^msg_/);
      expect(r.headers['webhook-timestamp']).toMatch(/^\d+$/);
      expect(JSON.parse(r.body)).toMatchObject({
        type: 'operation.succeeded',
        data: { user_metadata: { job_group: 'nightly' } },
      });
    }
    expect(a!.headers['webhook-id']).toBe(b!.headers['webhook-id']);
    expect(a!.body).toBe(b!.body);
    expect(staticRx.requests).toHaveLength(0);
  });

  it('each dynamic URI is its own delivery with its own retries', async () => {
    const clock = new ManualClock();
    const flaky = await receiver((_r, i) => (i === 0 ? { status: 503 } : { status: 200 }));
    const steady = await receiver();
    herald = await startTestHerald({ clock });
    const op = await createOp(herald, { kind: 'etl', webhook_config: { uris: [flaky.url, steady.url] } });
    await herald.api('POST', `/v1beta/operations/${op.id}:cancel`);
    await herald.waitForAttempts(2);
    const byUri = async () =>
      Object.fromEntries(
        (
          await herald!.api<{ deliveries: (DeliveryView & { attempt_count: number })[] }>('GET', '/v1beta/deliveries')
        ).body.deliveries.map((d) => [d.destination.uri, [d.status, d.attempt_count]]),
      );
    expect(await byUri()).toEqual({ [flaky.url]: ['pending', 1], [steady.url]: ['succeeded', 1] });
    clock.advance(6_000); // the second attempt of the failed one (5 s ± 20 %) only
    await herald.waitForAttempts(3);
    expect(await byUri()).toEqual({ [flaky.url]: ['succeeded', 2], [steady.url]: ['succeeded', 1] });
    expect(steady.requests).toHaveLength(1);
    expect(flaky.requests.map((r) => r.headers['webhook-id'])).toEqual([
      steady.requests[0]!.headers['webhook-id'],
      steady.requests[0]!.headers['webhook-id'],
    ]);
  });

  it('user_metadata without uris goes to the static subscribers', async () => {
    const rx = await receiver();
    herald = await startTestHerald();
    await subscribe(herald, rx, ['operation.cancelled']);
    const op = await createOp(herald, { kind: 'etl', webhook_config: { user_metadata: { a: 1 } } });
    await herald.api('POST', `/v1beta/operations/${op.id}:cancel`);
    const [ev] = eventsOf(await rx.waitFor(1));
    expect(ev!.data).toEqual({ id: op.name, kind: 'etl', user_metadata: { a: 1 } });
  });

  it('stale progress events still pending are superseded by the newest; terminal events never are', async () => {
    const clock = new ManualClock();
    // The first two deliveries fail, so the 10% and 20% events wait for a retry when 30% arrives.
    const rx = await receiver((_r, i) => (i < 2 ? { status: 500 } : { status: 200 }));
    herald = await startTestHerald({ clock });
    await subscribe(herald, rx, OP_EVENTS);
    const op = await createOp(herald, { kind: 'etl' });
    const [l] = await lease(herald, ['etl'], { lease_seconds: 3600 });
    const progress = (percent: number) =>
      herald!.api('POST', `/v1beta/operations/${op.id}:progress`, {
        lease_id: l!.lease_id,
        percent,
        message: `${percent}%`,
      });
    await progress(10);
    await herald.waitForAttempts(1);
    await progress(20);
    await herald.waitForAttempts(2);
    await progress(30);
    await herald.waitForAttempts(3);
    await herald.api('POST', `/v1beta/operations/${op.id}:complete`, { lease_id: l!.lease_id });
    await herald.waitForAttempts(4);
    clock.advance(3_600_000);
    const ds = await deliveries(herald);
    expect(ds.map((d) => [d.event_type, d.status])).toEqual([
      ['operation.progress', 'cancelled'],
      ['operation.progress', 'cancelled'],
      ['operation.progress', 'succeeded'],
      ['operation.succeeded', 'succeeded'],
    ]);
    const events = eventsOf(rx.requests);
    expect(events.map((e) => [e.type, (e.data.progress as { percent?: number } | undefined)?.percent])).toEqual([
      ['operation.progress', 10],
      ['operation.progress', 20],
      ['operation.progress', 30],
      ['operation.succeeded', undefined],
    ]);
  });
});

describe.each(backends)('embedding API: $name', (b) => {
  beforeEach(async () => {
    backend = b;
    await b.reset();
  });

  it('registerExecutor runs operations in process: result → succeeded, throw → failed', async () => {
    const rx = await receiver();
    herald = await startTestHerald();
    await subscribe(herald, rx, OP_EVENTS);
    herald.herald.registerExecutor('thumb.make', async (op, ctx) => {
      if (op.metadata.bad === true) throw Object.assign(new Error('corrupt image'), { code: 'BAD_IMAGE' });
      await ctx.progress(50, 'resizing');
      return { thumb: `thumbs/${op.id}.png`, attempt: op.attempt };
    });
    const ok = await createOp(herald, { kind: 'thumb.make' });
    const bad = await createOp(herald, { kind: 'thumb.make', metadata: { bad: true } });
    const okDone = await herald.api<Op>('GET', `/v1beta/operations/${ok.id}?wait=60s`);
    const badDone = await herald.api<Op>('GET', `/v1beta/operations/${bad.id}?wait=60s`);
    expect(okDone.body).toMatchObject({ state: 'succeeded', result: { thumb: `thumbs/${ok.id}.png`, attempt: 1 } });
    expect(badDone.body).toMatchObject({ state: 'failed', error: { code: 'BAD_IMAGE', message: 'corrupt image' } });
    const events = eventsOf(await rx.waitFor(3));
    expect(events.map((e) => `${e.type} ${String(e.data.id)}`).sort()).toEqual(
      [`operation.failed ${bad.name}`, `operation.progress ${ok.name}`, `operation.succeeded ${ok.name}`].sort(),
    );
  });

  it('cancel aborts the running executor through ctx.signal', async () => {
    const clock = new ManualClock();
    herald = await startTestHerald({ clock });
    let aborted = false;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    herald.herald.registerExecutor('long.job', async (_op, ctx) => {
      ctx.signal.addEventListener('abort', () => (aborted = true));
      started();
      await ctx.sleep(3_600_000);
      return 'never';
    });
    const op = await createOp(herald, { kind: 'long.job' });
    await running;
    const res = await herald.api<Op>('POST', `/v1beta/operations/${op.id}:cancel`);
    expect(res.body.state).toBe('cancelled');
    // The runner learns of the cancel from the store's change notification: synchronous on
    // SQLite, a NOTIFY on PostgreSQL that may land just after the API has answered.
    await vi.waitFor(() => expect(aborted).toBe(true), { timeout: 5_000 });
    const got = await herald.api<Op>('GET', `/v1beta/operations/${op.id}`);
    expect(got.body.state).toBe('cancelled');
  });
});
