/**
 * `herald demo`: the whole flow in one command, narrated. It starts a Herald in this process
 * (temporary SQLite data, a time scale), a receiver that verifies every signature and fails the
 * first delivery on purpose, registers a webhook, runs a simulated Gemini batch, and follows the
 * batch, its event, the failed attempt and the retry that delivers it.
 * @module
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from '@commander-js/extra-typings';
import { HeraldClient } from '../client.js';
import { CliError } from '../errors.js';
import { createRenderer, watchOperation, type WatchRenderer } from '../ops-watch.js';
import { jsonLine, type Output } from '../ui/output.js';
import { clean, formatDuration } from '../ui/text.js';
import { examples, intOption, outputOf } from './shared.js';

/** One attempt as the engine recorded it. */
interface SeenAttempt {
  deliveryId: string;
  number: number;
  statusCode: number | undefined;
  errorCode: string | undefined;
  durationMs: number;
  outcome: string;
}

/** What the receiver got. */
interface Received {
  webhookId: string;
  type: string;
  verified: boolean;
  why: string | undefined;
  answered: number;
}

/** A queue that hands items to whoever waits, in order. */
class Queue<T> {
  readonly #items: T[] = [];
  readonly #waiters: ((v: T) => void)[] = [];

  push(v: T): void {
    const w = this.#waiters.shift();
    if (w) w(v);
    else this.#items.push(v);
  }

  next(timeoutMs: number, what: string): Promise<T> {
    const v = this.#items.shift();
    if (v !== undefined) return Promise.resolve(v);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(resolve), 1);
        reject(new CliError(`the demo waited ${timeoutMs / 1000} s for ${what} in vain`));
      }, timeoutMs);
      this.#waiters.push((x) => {
        clearTimeout(timer);
        resolve(x);
      });
    });
  }
}

/** A local receiver: verifies each request with the webhook's secret; answers 500 the first time. */
async function startReceiver(received: Queue<Received>) {
  const { Webhook } = await import('@herald/webhooks');
  let secret: string | undefined;
  let count = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      let why: string | undefined;
      let type = '?';
      try {
        const event = new Webhook(secret ?? '').verify<{ type?: unknown }>(body, req.headers);
        verified = true;
        if (typeof event.type === 'string') type = event.type;
      } catch (err) {
        why = (err as Error).message;
      }
      count++;
      const answered = !verified ? 401 : count === 1 ? 500 : 200;
      res.writeHead(answered, { 'content-type': 'text/plain' });
      res.end(
        answered === 500 ? 'simulated outage: try again later' : answered === 200 ? 'ok' : `not verified: ${why}`,
      );
      const id = req.headers['webhook-id'];
      received.push({ webhookId: typeof id === 'string' ? id : '?', type, verified, why, answered });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    setSecret(s: string) {
      secret = s;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Prints the narration: numbered lines, or one JSON object per step with `--json`. */
function narrator(out: Output) {
  let n = 0;
  const { c } = out;
  return {
    step(kind: string, message: string, details: Record<string, unknown> = {}) {
      n++;
      if (out.json) process.stdout.write(jsonLine({ step: n, kind, message, ...details }));
      else process.stdout.write(`${c.bold(`${n}.`)} ${message}\n`);
    },
    detail(text: string) {
      if (!out.json) process.stdout.write(`   ${c.dim(text)}\n`);
    },
  };
}

const BATCH_REQUESTS = [
  { request: { contents: [{ parts: [{ text: 'Write a haiku about webhooks' }] }] }, metadata: { key: 'haiku' } },
  { request: { contents: [{ parts: [{ text: 'Explain retries in one sentence' }] }] }, metadata: { key: 'retry' } },
];

export function demoCommand() {
  return new Command('demo')
    .description('Run the whole flow in one command: server, receiver, a batch, a failed delivery and its retry')
    .option('--time-scale <n>', 'divide every delay (batch duration, retry delays) by n', intOption(1, 1_000_000), 10)
    .option('--keep', 'keep Herald running afterwards to explore it with other commands (Ctrl-C stops)')
    .addHelpText(
      'after',
      `
Nothing to set up: Herald runs inside this command on a temporary SQLite file, with a local
receiver that verifies every signature and answers the first delivery with 500 on purpose, so you
see Herald retry. --json prints one object per step: {"step", "kind", "message", …details}.
Exit status 0 when the delivery arrived verified, 1 otherwise.
${examples('herald demo', 'herald demo --time-scale 1   # real time: the batch takes 5 s, the retry 5 s', 'herald demo --keep')}`,
    )
    .action(async (opts, cmd) => {
      const out = outputOf(cmd);
      const say = narrator(out);
      const { c } = out;
      const scale = opts.timeScale;
      const started = Date.now();
      const { createHerald } = await import('@herald/server');
      const dataDir = mkdtempSync(join(tmpdir(), 'herald-demo-'));
      const attempts = new Queue<SeenAttempt>();
      const received = new Queue<Received>();
      const receiver = await startReceiver(received);
      let herald: Awaited<ReturnType<typeof createHerald>> | undefined;
      const timeoutMs = Math.max(30_000, (60_000 * 2) / scale);
      try {
        if (!out.json)
          process.stdout.write(`${c.bold('Herald demo')}: a batch, its webhook, a failed delivery and the retry.\n\n`);
        herald = await createHerald({
          config: {
            port: 0,
            host: '127.0.0.1',
            dataDir,
            databaseUrl: undefined,
            apiKey: undefined,
            masterKey: undefined,
            role: 'all',
            env: 'development',
            allowPrivateNetworks: true,
            timeScale: scale,
            logLevel: 'silent',
          },
          onAttempt: (d, result, outcome) =>
            attempts.push({
              deliveryId: d.id,
              number: d.attemptCount + 1,
              statusCode: result.statusCode,
              errorCode: result.errorCode,
              durationMs: result.durationMs,
              outcome,
            }),
        });
        const url = await herald.listen();
        say.step('server', `Started Herald at ${c.cyan(url)} (SQLite in ${dataDir}, every delay ÷ ${scale})`, {
          url,
          data_dir: dataDir,
          time_scale: scale,
        });
        say.step(
          'receiver',
          `Started a receiver at ${c.cyan(receiver.url)}: it verifies every signature and answers the first delivery with 500 on purpose`,
          { receiver_url: receiver.url },
        );

        const client = new HeraldClient({ url, apiKey: herald.apiKey, userAgent: 'herald-cli demo' });
        const webhook = await client.createWebhook({
          name: 'demo receiver',
          uri: receiver.url,
          subscribed_events: ['batch.succeeded', 'batch.failed', 'batch.expired'],
        });
        receiver.setSecret(webhook.new_signing_secret ?? '');
        say.step('webhook', `Registered webhook ${webhook.id} for batch.succeeded, batch.failed and batch.expired`, {
          webhook_id: webhook.id,
          signing_secret: webhook.new_signing_secret,
        });
        say.detail(`signing secret ${webhook.new_signing_secret ?? '?'} (the receiver verifies with it)`);

        const batch = (
          await client.request<{ name: string }>('POST', '/v1beta/models/gemini-2.5-flash:batchGenerateContent', {
            body: { batch: { display_name: 'herald demo', input_config: { requests: { requests: BATCH_REQUESTS } } } },
          })
        ).body;
        say.step(
          'batch',
          `Created ${c.cyan(batch.name)} with ${BATCH_REQUESTS.length} requests; the simulator works on it (about ${formatDuration(5000 / scale)})`,
          { batch: batch.name },
        );

        const renderer: WatchRenderer = out.json
          ? { change: () => undefined, finish: () => undefined, close: () => undefined }
          : createRenderer({
              json: false,
              tty: false,
              c,
              write: (t) => process.stdout.write(t.replace(/^(?=.)/gm, '   ')),
            });
        const final = await watchOperation(client, batch.name, {
          renderer,
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (final.state !== 'succeeded') throw new CliError(`the batch ended ${final.state}, not succeeded`);
        say.step(
          'batch_done',
          `The batch succeeded: Herald emitted batch.succeeded and queued its delivery to the webhook`,
          {
            state: final.state,
          },
        );

        const first = await attempts.next(timeoutMs, 'the first delivery attempt');
        const got1 = await received.next(timeoutMs, 'the receiver to get the first delivery');
        say.step(
          'attempt',
          `Attempt 1 of ${first.deliveryId}: signature ${got1.verified ? c.green('verified ✓') : c.red('NOT verified')}, ` +
            `the receiver answered ${c.red(String(first.statusCode ?? first.errorCode ?? '?'))} in ${formatDuration(first.durationMs)}` +
            (first.outcome === 'pending'
              ? ` → Herald retries in about ${formatDuration(5000 / scale)} (5 s ÷ ${scale})`
              : ''),
          {
            delivery_id: first.deliveryId,
            attempt: 1,
            webhook_message_id: got1.webhookId,
            verified: got1.verified,
            status_code: first.statusCode,
            outcome: first.outcome,
          },
        );
        if (!got1.verified) throw new CliError(`the receiver could not verify the delivery: ${got1.why ?? '?'}`);

        const second = await attempts.next(timeoutMs, 'the retry');
        const got2 = await received.next(timeoutMs, 'the receiver to get the retry');
        const ok = got2.verified && second.statusCode === 200 && second.outcome === 'succeeded';
        say.step(
          'attempt',
          `Attempt 2 (same webhook-id ${got2.webhookId}, fresh signature): ${got2.verified ? c.green('verified ✓') : c.red('NOT verified')}, ` +
            `the receiver answered ${ok ? c.green('200') : c.red(String(second.statusCode ?? second.errorCode))} in ${formatDuration(second.durationMs)}`,
          {
            delivery_id: second.deliveryId,
            attempt: 2,
            webhook_message_id: got2.webhookId,
            verified: got2.verified,
            status_code: second.statusCode,
            outcome: second.outcome,
          },
        );
        if (!ok) throw new CliError('the retry was not delivered');

        const delivery = await client.getDelivery(second.deliveryId);
        say.step(
          'delivered',
          `${c.green('Delivered')}: ${delivery.id} is ${delivery.status} after ${delivery.attempt_count} attempts ` +
            `(${(delivery.attempts ?? []).map((a) => a.status_code ?? a.error_code).join(' → ')})`,
          {
            delivery_id: delivery.id,
            status: delivery.status,
            attempts: (delivery.attempts ?? []).map((a) => ({ number: a.number, status_code: a.status_code })),
            elapsed_ms: Date.now() - started,
          },
        );
        if (!out.json) {
          process.stdout.write(`\nDone in ${formatDuration(Date.now() - started)}.\n`);
        }
        if (opts.keep) {
          out.info(
            [
              '',
              `Herald keeps running at ${url} (Ctrl-C stops it). From another terminal:`,
              `  export HERALD_URL=${url} HERALD_API_KEY=${clean(herald.apiKey)}`,
              `  herald deliveries get ${delivery.id}`,
              `  herald ops get ${batch.name}`,
              '  herald events list',
            ].join('\n'),
          );
          await new Promise<void>((resolve) => {
            process.once('SIGINT', () => resolve());
            process.once('SIGTERM', () => resolve());
          });
        }
      } finally {
        await receiver.close();
        await herald?.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
}
