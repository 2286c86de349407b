import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { loggedEvents } from '../src/testing/operation-helpers.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald as startHerald, type TestHerald } from '../src/testing/test-herald.js';

// One suite, run against every store (SQLite; PostgreSQL when reachable).
const backends = await testBackends('operations across restarts');
let backend = backends[0]!;
const startTestHerald = (opts: Parameters<typeof startHerald>[0] = {}) =>
  startHerald({ ...opts, config: { ...backend.config, ...opts.config } });

const running: TestHerald[] = [];
afterEach(async () => {
  for (const h of running.splice(0).reverse()) await h.close();
});
async function start(opts: Parameters<typeof startHerald>[0] = {}) {
  const h = await startTestHerald(opts);
  running.push(h);
  return h;
}

type Op = {
  name: string;
  id: string;
  state: string;
  done: boolean;
  attempt: number;
  result?: unknown;
  error?: unknown;
};

describe.each(backends)('in-process executors across restarts: $name', (b) => {
  beforeEach(async () => {
    backend = b;
    await b.reset();
  });

  it('close() hands a running operation back, uncounted; the next start runs it again', async () => {
    const first = await start({ clock: new ManualClock() });
    let started!: () => void;
    const isRunning = new Promise<void>((r) => (started = r));
    let aborted: unknown;
    first.herald.registerExecutor('long.job', async (_op, ctx) => {
      started();
      try {
        await ctx.sleep(3_600_000);
      } catch (err) {
        aborted = ctx.signal.reason;
        throw err;
      }
      return 'never';
    });
    const op = (await first.api<Op>('POST', '/v1beta/operations', { kind: 'long.job' })).body;
    await isRunning;
    await first.herald.close();
    expect(aborted).toBe('shutdown');

    const second = await start({ clock: new ManualClock(), dataDir: first.dataDir });
    // The handed-back run is not an attempt: a clean restart is not a crash.
    expect((await second.api<Op>('GET', `/v1beta/${op.name}`)).body).toMatchObject({ done: false, attempt: 0 });
    second.herald.registerExecutor('long.job', async (o) => ({ attempt: o.attempt }));
    const done = await second.api<Op>('GET', `/v1beta/${op.name}?wait=60s`);
    expect(done.body).toMatchObject({ state: 'succeeded', attempt: 1, result: { attempt: 1 } });
    expect((await loggedEvents(second, op.name)).map((e) => e.type)).toEqual(['operation.succeeded']);
  });

  it('four clean restarts in a row (rolling deploys) do not use up the cap meant for crashes', async () => {
    let dataDir: string | undefined;
    let name = '';
    for (let i = 0; i < 4; i++) {
      const h = await start({ clock: new ManualClock(), ...(dataDir ? { dataDir } : {}) });
      dataDir = h.dataDir;
      let started!: () => void;
      const isRunning = new Promise<void>((r) => (started = r));
      h.herald.registerExecutor('deploy.job', async (_op, ctx) => {
        started();
        await ctx.sleep(3_600_000);
        return 'never';
      });
      if (i === 0) name = (await h.api<Op>('POST', '/v1beta/operations', { kind: 'deploy.job' })).body.name;
      await isRunning;
      await h.herald.close(); // its data dir outlives it (removed after the test)
    }
    const last = await start({ clock: new ManualClock(), ...(dataDir ? { dataDir } : {}) });
    last.herald.registerExecutor('deploy.job', async (o) => ({ attempt: o.attempt }));
    const done = await last.api<Op>('GET', `/v1beta/${name}?wait=60s`);
    expect(done.body).toMatchObject({ state: 'succeeded', attempt: 1, result: { attempt: 1 } });
  });

  it('an operation interrupted three times fails with ABORTED (code 10) instead of running forever', async () => {
    const clock = new ManualClock();
    const h = await start({ clock });
    const op = (await h.api<Op>('POST', '/v1beta/operations', { kind: 'flaky.job' })).body;
    // Three runs whose holder vanished: each lease simply expires.
    for (let i = 1; i <= 3; i++) {
      const leased = await h.api<{ operations: Op[] }>('POST', '/v1beta/operations:lease', {
        kinds: ['flaky.job'],
        lease_seconds: 1,
      });
      expect(leased.body.operations).toMatchObject([{ name: op.name, attempt: i }]);
      clock.advance(1_001);
    }
    let calls = 0;
    h.herald.registerExecutor('flaky.job', async () => {
      calls++;
      return 'ok';
    });
    const done = await h.api<Op>('GET', `/v1beta/${op.name}?wait=60s`);
    expect(done.body).toMatchObject({
      state: 'failed',
      attempt: 4,
      error: { code: 10, message: 'the operation was interrupted 3 times (crash or restart); giving up' },
    });
    expect(calls).toBe(0);
    expect((await loggedEvents(h, op.name)).map((e) => e.type)).toEqual(['operation.failed']);
  });
});
