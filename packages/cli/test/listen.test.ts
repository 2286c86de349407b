import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type ReceivedRequest, type Receiver } from '../../server/src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../../server/src/testing/test-herald.js';
import { BUILD_TIMEOUT_MS, buildCli, startCli } from './helpers/cli.js';

interface DeliveryJson {
  id: string;
  status: string;
  destination: { type: string; webhook_id?: string; uri: string };
  attempts: { number: number; status_code?: number; trigger: string; response_excerpt?: string }[];
}

let herald: TestHerald;
let rx: Receiver;
let secret = '';
/** Answers of the local receiver, in order; then 200 when the signature verifies, 401 otherwise. */
const script: number[] = [];
const verdicts: boolean[] = [];

/** Starts the CLI and collects its output; `until` waits for a pattern in everything so far. */
function spawnListen(args: string[]) {
  const child = startCli(['--url', herald.url, '--api-key', herald.apiKey, ...args]);
  child.stdin.end();
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out.stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const until = async (stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpExecArray> => {
    for (let i = 0; i < 400; i++) {
      const m = pattern.exec(out[stream]);
      if (m) return m;
      await sleep(50);
    }
    throw new Error(
      `timed out waiting for ${String(pattern)} on ${stream}:\n${out.stdout}\n--- stderr ---\n${out.stderr}`,
    );
  };
  return { child, out, exited, until };
}

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function verifies(r: ReceivedRequest): boolean {
  try {
    new StandardWebhook(secret).verify(r.body, r.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  await buildCli();
  // Retries come 5 s / 1000 after a failure.
  herald = await startTestHerald({ config: { timeScale: 1000 } });
  rx = await startReceiver((r) => {
    const ok = verifies(r);
    verdicts.push(ok);
    const scripted = script.shift();
    if (scripted !== undefined) return { status: scripted, body: `local says ${scripted}` };
    return ok ? { status: 200, body: 'verified' } : { status: 401, body: 'bad signature' };
  });
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await rx?.close();
  await herald?.close();
});

describe('herald listen', () => {
  it('forwards real deliveries that verify, reports a local 500 so Herald retries, and removes itself on Ctrl-C', async () => {
    const { child, out, exited, until } = spawnListen(['listen', '--forward-to', rx.url, '--events', 'invoice.ready']);
    secret = (await until('stdout', /Signing secret {2}(whsec_\S+)/))[1]!;
    expect(out.stdout).toMatch(new RegExp(`^Forwarding invoice\\.ready → ${rx.url.replace(/\./g, '\\.')}\\n`));
    await until('stderr', /Ready: forwarding/);
    const listenerId = (await until('stderr', /Listener (\w+):/))[1]!;

    // 1. A delivery reaches the local receiver with Herald's signature intact.
    const first = await herald.api<{ id: string; message_id: string }>('POST', '/v1beta/events', {
      type: 'invoice.ready',
      data: { id: 'inv_1' },
    });
    const [req1] = await rx.waitFor(1);
    expect(verdicts[0]).toBe(true);
    expect(req1!.headers['webhook-id']).toBe(first.body.message_id);
    expect(JSON.parse(req1!.body)).toMatchObject({ type: 'invoice.ready', data: { id: 'inv_1' } });
    await until('stdout', /invoice\.ready {2}200 /);
    await herald.waitForAttempts(1);
    const d1 = (await herald.api<{ deliveries: DeliveryJson[] }>('GET', `/v1beta/deliveries?event=${first.body.id}`))
      .body.deliveries[0]!;
    expect(d1).toMatchObject({ status: 'succeeded', destination: { webhook_id: listenerId } });

    // 2. The local receiver fails once: Herald records the 500 and retries on its schedule.
    script.push(500);
    const second = await herald.api<{ id: string; message_id: string }>('POST', '/v1beta/events', {
      type: 'invoice.ready',
      data: { id: 'inv_2' },
    });
    const reqs = await rx.waitFor(3);
    expect(reqs.slice(1).map((r) => r.headers['webhook-id'])).toEqual([second.body.message_id, second.body.message_id]);
    expect(verdicts.slice(1)).toEqual([true, true]);
    await until('stdout', /invoice\.ready {2}200 .*attempt 2/);
    await herald.waitForAttempts(3);
    const d2 = (await herald.api<{ deliveries: DeliveryJson[] }>('GET', `/v1beta/deliveries?event=${second.body.id}`))
      .body.deliveries[0]!;
    const full = (await herald.api<DeliveryJson>('GET', `/v1beta/deliveries/${d2.id}`)).body;
    expect(full.status).toBe('succeeded');
    expect(full.attempts.map((a) => [a.number, a.trigger, a.status_code, a.response_excerpt])).toEqual([
      [1, 'scheduled', 500, 'local says 500'],
      [2, 'scheduled', 200, 'verified'],
    ]);
    const lines = out.stdout.trimEnd().split('\n').slice(2);
    expect(lines.map((l) => l.replace(/^\S+ \S+ {2}/, '').replace(/ +\d+(\.\d+)? m?s {2}/, '  <t>  '))).toEqual([
      `invoice.ready  200  <t>  ${d1.id} attempt 1`,
      `invoice.ready  500  <t>  ${d2.id} attempt 1`,
      `invoice.ready  200  <t>  ${d2.id} attempt 2`,
    ]);

    // 3. Ctrl-C removes the destination and exits 0.
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out.stderr).toContain(`Removed listener ${listenerId}.`);
    expect((await herald.api('GET', `/v1beta/webhooks/${listenerId}`)).status).toBe(404);
  });

  it('a local receiver that is down is reported as the attempt error', async () => {
    const port = await closedPort();
    const { child, out, exited, until } = spawnListen([
      '--json',
      'listen',
      '--forward-to',
      `http://127.0.0.1:${port}/hooks`,
      '--events',
      'invoice.failed',
    ]);
    await until('stdout', /\n/);
    const first = out.stdout;
    const listener = JSON.parse(first) as { id: string; secret: string; subscribed_events: string[] };
    expect(listener.secret).toMatch(/^whsec_/);
    expect(listener.subscribed_events).toEqual(['invoice.failed']);
    await until('stderr', /Ready: forwarding/);
    const ev = await herald.api<{ id: string }>('POST', '/v1beta/events', { type: 'invoice.failed', data: {} });
    await until('stdout', /ECONNREFUSED/);
    const line = JSON.parse(out.stdout.trimEnd().split('\n')[1]!) as Record<string, unknown>;
    expect(line).toMatchObject({ attempt: 1, event_type: 'invoice.failed', error: { code: 'ECONNREFUSED' } });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const d = (await herald.api<{ deliveries: DeliveryJson[] }>('GET', `/v1beta/deliveries?event=${ev.body.id}`)).body
      .deliveries[0]!;
    // Removing the listener cancelled what was still pending.
    expect(['cancelled', 'failed']).toContain(d.status);
  });

  it('bad flags exit 2 before anything is registered', async () => {
    const listeners = async () =>
      (await herald.api<{ webhooks: { uri: string }[] }>('GET', '/v1beta/webhooks')).body.webhooks.filter((w) =>
        w.uri.startsWith('herald-listen://'),
      ).length;
    const before = await listeners();
    const cli = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const c = startCli(['--url', herald.url, '--api-key', herald.apiKey, ...args]);
        c.stdin.end();
        let stderr = '';
        c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        c.on('close', (code) => resolve({ code, stderr }));
      });
    const noTarget = await cli(['listen']);
    expect(noTarget.code).toBe(2);
    const badUrl = await cli(['listen', '--forward-to', 'ftp://x']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/must be an http\(s\) URL/);
    const badEvent = await cli(['listen', '--forward-to', 'http://localhost:3000', '--events', 'batch.succeded']);
    expect(badEvent.code).toBe(2);
    expect(await listeners()).toBe(before);
  });
});
