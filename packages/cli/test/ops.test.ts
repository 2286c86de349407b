import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../../server/src/testing/test-herald.js';
import { BIN, BUILD_TIMEOUT_MS, buildCli, cliFor, json, startCli, tempDir, waitForOutput } from './helpers/cli.js';

interface Op {
  name: string;
  id: string;
  kind: string;
  state: string;
  done: boolean;
  progress?: { percent: number; message: string };
  lease_id?: string;
}

interface WatchLine {
  name: string;
  kind: string;
  state: string;
  done: boolean;
  progress?: { percent: number; message: string };
  error?: { code: number | string; message: string };
  source: 'get' | 'event' | 'wait';
  event?: { id: string; type: string; sequence: number };
}

let herald: TestHerald;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  await buildCli();
  // A simulated batch takes 1.5 s (HERALD_SIM_BATCH_MS is read when Herald starts).
  process.env.HERALD_SIM_BATCH_MS = '1500';
  try {
    herald = await startTestHerald();
  } finally {
    delete process.env.HERALD_SIM_BATCH_MS;
  }
  cli = cliFor(herald);
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await herald?.close();
});

/** A custom operation leased by "our worker" (the test), so the test decides its progress. */
async function runningOp(kind: string): Promise<{ op: Op; lease: string }> {
  const created = await herald.api<Op>('POST', '/v1beta/operations', { kind, metadata: { input: 'in.mp4' } });
  expect(created.status).toBe(200);
  const leased = await herald.api<{ operations: Op[] }>('POST', '/v1beta/operations:lease', {
    kinds: [kind],
    lease_seconds: 120,
  });
  const op = leased.body.operations.find((o) => o.name === created.body.name)!;
  expect(op).toMatchObject({ state: 'running' });
  return { op, lease: op.lease_id! };
}

async function progress(op: Op, lease: string, percent: number, message: string) {
  const r = await herald.api('POST', `/v1beta/operations/${op.id}:progress`, { lease_id: lease, percent, message });
  expect(r.status).toBe(200);
}

function exitOf(child: ReturnType<typeof startCli>): Promise<number | null> {
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

describe('herald ops watch', () => {
  it('renders progress from the event stream, one line per change, and exits 0 on success', async () => {
    const { op, lease } = await runningOp('render.video');
    const child = startCli(['--url', herald.url, '--api-key', herald.apiKey, 'ops', 'watch', op.name]);
    child.stdin.end();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = exitOf(child);
    let out = await waitForOutput(child.stdout, /running\n/);
    for (const [percent, message] of [
      [10, 'probing'],
      [45, 'encoding 720p'],
      [90, 'uploading'],
    ] as const) {
      await progress(op, lease, percent, message);
      out += await waitForOutput(child.stdout, new RegExp(`${percent}%  ${message}\\n`));
    }
    const done = await herald.api('POST', `/v1beta/operations/${op.id}:complete`, {
      lease_id: lease,
      result: { uri: 'files/out.mp4' },
    });
    expect(done.status).toBe(200);
    out += await waitForOutput(child.stdout, /succeeded in/);
    expect(await exited).toBe(0);

    const lines = out.trimEnd().split('\n');
    // Not a terminal: plain lines, no carriage returns or escape sequences.
    expect(out).not.toContain('\r');
    expect(out).not.toContain('\u001b');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}running$/);
    expect(lines.slice(1, 4).map((l) => l.replace(/^\S+ \S+ {2}/, ''))).toEqual([
      'running     10%  probing',
      'running     45%  encoding 720p',
      'running     90%  uploading',
    ]);
    expect(lines.at(-1)).toMatch(new RegExp(`^✓ ${op.name} succeeded in \\d`));
    expect(stderr).toContain(`Watching ${op.name}`);
  });

  it('piped, prints a line when a worker starts the job (no event announces it)', async () => {
    const created = (await herald.api<Op>('POST', '/v1beta/operations', { kind: 'queue.wait' })).body;
    const child = startCli(['--url', herald.url, '--api-key', herald.apiKey, 'ops', 'watch', created.name]);
    child.stdin.end();
    const exited = exitOf(child);
    let out = await waitForOutput(child.stdout, /pending\n/);
    const leased = await herald.api<{ operations: Op[] }>('POST', '/v1beta/operations:lease', {
      kinds: ['queue.wait'],
      lease_seconds: 120,
    });
    out += await waitForOutput(child.stdout, /running\n/);
    await herald.api('POST', `/v1beta/operations/${created.id}:complete`, {
      lease_id: leased.body.operations[0]!.lease_id,
    });
    out += await waitForOutput(child.stdout, /succeeded in/);
    expect(await exited).toBe(0);
    expect(
      out
        .trimEnd()
        .split('\n')
        .map((l) => l.replace(/^\S+ \S+ {2}/, '').trimEnd()),
    ).toEqual(['pending', 'running', expect.stringMatching(new RegExp(`^✓ ${created.name} succeeded in`))]);
  });

  it('--json prints one object per change, each progress from an operation.progress event; a failure exits 1', async () => {
    const { op, lease } = await runningOp('etl.nightly');
    await progress(op, lease, 5, 'before the watch'); // in the first GET's snapshot, not repeated
    const child = startCli(['--url', herald.url, '--api-key', herald.apiKey, 'ops', 'watch', op.id, '--json']);
    child.stdin.end();
    const exited = exitOf(child);
    let out = await waitForOutput(child.stdout, /\n/);
    await progress(op, lease, 50, 'halfway');
    out += await waitForOutput(child.stdout, /halfway/);
    const failed = await herald.api('POST', `/v1beta/operations/${op.id}:fail`, {
      lease_id: lease,
      error: { code: 'DISK_FULL', message: 'no space left' },
    });
    expect(failed.status).toBe(200);
    out += await waitForOutput(child.stdout, /"done":true/);
    expect(await exited).toBe(1);

    const lines = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as WatchLine);
    expect(lines.map((l) => [l.source, l.state, l.progress?.percent, l.event?.type])).toEqual([
      ['get', 'running', 5, undefined],
      ['event', 'running', 50, 'operation.progress'],
      ['event', 'failed', 50, 'operation.failed'],
    ]);
    expect(lines[2]).toMatchObject({
      name: op.name,
      kind: 'etl.nightly',
      done: true,
      error: { code: 'DISK_FULL', message: 'no space left' },
    });
  });

  it('an operation that is already done is reported at once', async () => {
    const { op, lease } = await runningOp('render.video');
    await herald.api('POST', `/v1beta/operations/${op.id}:complete`, { lease_id: lease, result: 1 });
    const r = await cli(['ops', 'watch', op.name]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^✓ ${op.name} succeeded in `));
  });

  it('follows a simulated Gemini batch until batch.succeeded', async () => {
    const created = await herald.api<{ name: string }>('POST', '/v1beta/models/gemini-2.5-flash:batchGenerateContent', {
      batch: {
        display_name: 'watched',
        input_config: { requests: { requests: [{ request: { contents: [{ parts: [{ text: 'hi' }] }] } }] } },
      },
    });
    expect(created.status).toBe(200);
    const r = await cli(['ops', 'watch', created.body.name, '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as WatchLine);
    expect(lines[0]).toMatchObject({ source: 'get', kind: 'gemini.batch', done: false });
    expect(lines.at(-1)).toMatchObject({
      name: created.body.name,
      state: 'succeeded',
      done: true,
      source: 'event',
      event: { type: 'batch.succeeded' },
    });
  });
});

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

describe.skipIf(!hasTmux)('herald ops watch on a terminal (tmux)', () => {
  const session = `herald-ops-${process.pid}`;
  const tmux = (...args: string[]) => spawnSync('tmux', args, { encoding: 'utf8' });
  const screen = () =>
    tmux('capture-pane', '-p', '-t', session)
      .stdout.split('\n')
      .filter((l) => l.trim() !== '');
  async function until(pattern: RegExp): Promise<string[]> {
    for (let i = 0; i < 200; i++) {
      const lines = screen();
      if (lines.some((l) => pattern.test(l))) return lines;
      await sleep(50);
    }
    throw new Error(`the terminal never showed ${String(pattern)}:\n${screen().join('\n')}`);
  }
  afterAll(() => tmux('kill-session', '-t', session));

  it('redraws one line with a progress bar, then ends it with the result', async () => {
    const { op, lease } = await runningOp('render.video');
    const cwd = tempDir('tmux-');
    const command = [
      `cd '${cwd}' &&`,
      `env NO_COLOR=1 '${process.execPath}' '${BIN}' --url ${herald.url} --api-key ${herald.apiKey}`,
      `ops watch ${op.name} 2>/dev/null; echo "exit=$?"; sleep 30`,
    ].join(' ');
    expect(tmux('new-session', '-d', '-s', session, '-x', '150', '-y', '20', command).status).toBe(0);
    await until(/running/);
    await progress(op, lease, 30, 'encoding');
    await until(/30%/);
    await progress(op, lease, 70, 'uploading');
    let lines = await until(/70%/);
    // One line, redrawn in place: the 30% state is gone.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${op.name} {2}running {2}█{17}░{7} {2}70% {2}uploading {2}`));
    await herald.api('POST', `/v1beta/operations/${op.id}:complete`, { lease_id: lease, result: 1 });
    lines = await until(/exit=/);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^✓ ${op.name} succeeded in `)), 'exit=0']);
  });
});

describe('herald ops list|get|cancel', () => {
  it('shows 100 % for a succeeded job whatever its last progress report said', async () => {
    const { op, lease } = await runningOp('report.build');
    await progress(op, lease, 40, 'halfway');
    expect((await cli(['ops', 'list', '--kind', 'report.build'])).stdout).toMatch(
      new RegExp(`${op.name}\\s+report\\.build\\s+running\\s+40%`),
    );
    await herald.api('POST', `/v1beta/operations/${op.id}:complete`, { lease_id: lease });
    expect((await cli(['ops', 'list', '--kind', 'report.build'])).stdout).toMatch(
      new RegExp(`${op.name}\\s+report\\.build\\s+succeeded\\s+100%`),
    );
    expect((await cli(['ops', 'get', op.id])).stdout).toMatch(/Progress\s+100% /);
  });

  it('list filters by kind and state; get and cancel take a name or a bare id', async () => {
    const { op } = await runningOp('thumbs.make');
    const pending = (await herald.api<Op>('POST', '/v1beta/operations', { kind: 'thumbs.make' })).body;

    const list = json<{ operations: Op[] }>(await cli(['ops', 'list', '--kind', 'thumbs.make', '--json']));
    expect(list.operations.map((o) => o.name)).toEqual([pending.name, op.name]);
    const running = json<{ operations: Op[] }>(
      await cli(['ops', 'list', '--kind', 'thumbs.make', '--state', 'running', '--json']),
    );
    expect(running.operations.map((o) => o.name)).toEqual([op.name]);
    const table = await cli(['ops', 'list', '--kind', 'thumbs.make']);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+KIND\s+STATE\s+PROGRESS\s+CREATED\s+UPDATED$/);
    expect(table.stdout).toMatch(new RegExp(`${op.name}\\s+thumbs\\.make\\s+running`));

    const got = await cli(['ops', 'get', op.id]);
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(/Kind\s+thumbs\.make/);
    expect(got.stdout).toMatch(/State\s+running/);
    expect(json<Op>(await cli(['ops', 'get', op.name, '--json']))).toMatchObject({ name: op.name, state: 'running' });

    const cancelled = await cli(['ops', 'cancel', pending.name]);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toBe(`Cancelled ${pending.name}\n`);
    const again = await cli(['ops', 'cancel', pending.name]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/FAILED_PRECONDITION/);
    const other = (await herald.api<Op>('POST', '/v1beta/operations', { kind: 'thumbs.make' })).body;
    const cancelledJson = await cli(['ops', 'cancel', other.id, '--json']);
    expect(cancelledJson.code).toBe(0);
    expect(json<Op>(cancelledJson)).toMatchObject({
      name: other.name,
      kind: 'thumbs.make',
      state: 'cancelled',
      done: true,
    });
  });

  it('a batch is shown through its own surface; --json prints it as the Batch API returns it', async () => {
    const created = await herald.api<{ name: string }>('POST', '/v1beta/models/gemini-2.5-flash:batchGenerateContent', {
      batch: { display_name: 'shown', input_config: { requests: { requests: [{ request: { contents: [] } }] } } },
    });
    const got = await cli(['ops', 'get', created.body.name, '--wait', '30s']);
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(/Kind\s+gemini\.batch/);
    expect(got.stdout).toMatch(/State\s+succeeded/);
    const raw = json<{ metadata: { state: string } }>(await cli(['ops', 'get', created.body.name, '--json']));
    expect(raw.metadata.state).toBe('BATCH_STATE_SUCCEEDED');
    const list = json<{ operations: Op[] }>(await cli(['ops', 'list', '--kind', 'gemini.batch', '--json']));
    expect(list.operations.map((o) => o.name)).toContain(created.body.name);
  });

  it('bad names and states exit 2; unknown operations exit 1 with the server message', async () => {
    const bad = await cli(['ops', 'get', 'webhooks/abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not an operation name/);
    const state = await cli(['ops', 'list', '--state', 'done']);
    expect(state.code).toBe(2);
    const missing = await cli(['ops', 'watch', 'operations/nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/HTTP 404 NOT_FOUND/);
  });
});
