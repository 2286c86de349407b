/**
 * From polling to webhooks: the same batch consumed by a 1 s polling loop and by a webhook, with
 * the latency of each. Run with
 *   npx tsx --conditions=@herald/source cookbook/07-polling-vs-webhooks/recipe.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHerald } from '@herald/server';
import { createWebhookReceiver, Webhook, type WebhookReceiver } from '@herald/webhooks';
import { toNodeHandler } from '@herald/webhooks/node';

interface Batch {
  name: string;
  done: boolean;
  metadata: { state: string; endTime?: string };
}

/** Runs the recipe; returns one line per step (also printed). */
export async function run(log: (line: string) => void = console.log): Promise<string[]> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    log(l);
  };

  // timeScale 2: the simulated 5 s batch takes 2.5 s, long enough for a few polls.
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-recipe-'));
  const herald = await createHerald({ config: { port: 0, dataDir, logLevel: 'silent', timeScale: 2 } });
  const base = await herald.listen();
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(base + path, {
      method,
      headers: { 'x-goog-api-key': herald.apiKey, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  // The webhook consumer: notes when batch.succeeded arrives.
  let receiver: WebhookReceiver | undefined;
  const server = createServer((req, res) => toNodeHandler(receiver!)(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  let webhookArrived!: (at: number) => void;
  const byWebhook = new Promise<number>((r) => (webhookArrived = r));

  try {
    const wh = await api<{ new_signing_secret: string }>('POST', '/v1beta/webhooks', {
      uri: receiverUrl,
      subscribed_events: ['batch.succeeded'],
    });
    receiver = createWebhookReceiver({ verifier: new Webhook(wh.new_signing_secret) }).on('batch.succeeded', () => {
      webhookArrived(Date.now());
    });

    const batch = await api<Batch>('POST', '/v1beta/models/gemini-2.5-flash:batchGenerateContent', {
      batch: {
        display_name: 'latency',
        input_config: { requests: { requests: [{ request: { contents: [{ parts: [{ text: 'hello' }] }] } }] } },
      },
    });
    say(`1. batch started: ${batch.metadata.state}`);

    // The polling consumer: GET every second until done.
    const byPolling = (async () => {
      let polls = 0;
      for (;;) {
        polls++;
        const b = await api<Batch>('GET', `/v1beta/${batch.name}`);
        if (b.done) return { at: Date.now(), polls, b };
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();

    const [hookAt, polled] = await Promise.all([byWebhook, byPolling]);
    const endedAt = Date.parse(polled.b.metadata.endTime!);
    say(`2. polling saw ${polled.b.metadata.state} after ${polled.polls} requests`);
    say(`3. webhook saw batch.succeeded after 0 requests`);
    say(`4. latency after the batch ended: webhook ${hookAt - endedAt} ms, polling ${polled.at - endedAt} ms`);
    return lines;
  } finally {
    await herald.close();
    await new Promise((r) => server.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
