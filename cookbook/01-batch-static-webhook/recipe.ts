/**
 * Batch job + static webhook + Express receiver, end to end: run with
 *   npx tsx --conditions=@herald/source cookbook/01-batch-static-webhook/recipe.ts
 */
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { createHerald } from '@herald/server';
import { createWebhookReceiver, Webhook, type WebhookEvent } from '@herald/webhooks';
import { expressWebhookHandler } from '@herald/webhooks/express';

type BatchSucceeded = Extract<WebhookEvent, { type: 'batch.succeeded' }>;

/** Runs the recipe; returns one line per step (also printed). */
export async function run(log: (line: string) => void = console.log): Promise<string[]> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    log(l);
  };

  // 1. Herald, in process. timeScale 10: the simulated 5 s batch takes 0.5 s.
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-recipe-'));
  const herald = await createHerald({ config: { port: 0, dataDir, logLevel: 'silent', timeScale: 10 } });
  const base = await herald.listen();
  const headers = { 'x-goog-api-key': herald.apiKey };
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(base + path, {
      method,
      headers: { ...headers, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  // 2. The Express receiver. The webhook route gets the raw bytes (express.raw), never express.json():
  //    signatures cover the body exactly as sent.
  let secret = '';
  let resolveEvent!: (e: BatchSucceeded) => void;
  const succeeded = new Promise<BatchSucceeded>((r) => (resolveEvent = r));
  const checks: string[] = [];
  // The receiver needs the secret, which Herald returns when the webhook is created (below).
  let heraldHandler: ReturnType<typeof expressWebhookHandler> | undefined;
  const app = express();
  app.post(
    '/webhooks',
    express.raw({ type: '*/*' }),
    // The same check with the public `standardwebhooks` package (drop-in compatible), for comparison.
    (req, _res, next) => {
      const flat = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const event = new StandardWebhook(secret).verify((req.body as Buffer).toString('utf8'), flat) as { type: string };
      checks.push(`standardwebhooks verified ${event.type}`);
      next();
    },
    // @herald/webhooks: verify, dedupe by webhook-id, dispatch to the typed handler, answer 200.
    (req, res, next) => heraldHandler!(req, res, next),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', r));
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;

  try {
    // 3. A static webhook subscribed to batch.succeeded; its secret is shown once, at creation.
    const wh = await api<{ id: string; new_signing_secret: string }>('POST', '/v1beta/webhooks', {
      uri: receiverUrl,
      subscribed_events: ['batch.succeeded'],
    });
    secret = wh.new_signing_secret;
    const receiver = createWebhookReceiver({ verifier: new Webhook(secret) }).on('batch.succeeded', (event) => {
      resolveEvent(event);
    });
    heraldHandler = expressWebhookHandler(receiver);
    say(`1. webhook created, secret ${secret.slice(0, 6)}…`);

    // 4. Upload a JSONL input file and start the batch on it (file input gives an output file).
    const jsonl = [
      { key: 'r1', request: { contents: [{ parts: [{ text: 'Describe a lighthouse' }] }] } },
      { key: 'r2', request: { contents: [{ parts: [{ text: 'Describe a harbour' }] }] } },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const upload = await fetch(`${base}/upload/v1beta/files?display_name=input.jsonl`, {
      method: 'POST',
      headers: { ...headers, 'x-goog-upload-protocol': 'raw', 'content-type': 'application/jsonl' },
      body: jsonl,
    });
    const { file } = (await upload.json()) as { file: { name: string } };
    const batch = await api<{ name: string; metadata: { state: string } }>(
      'POST',
      '/v1beta/models/gemini-2.5-flash:batchGenerateContent',
      { batch: { display_name: 'nightly', input_config: { file_name: file.name } } },
    );
    say(`2. batch started: ${batch.metadata.state}`);

    // 5. Wait for the webhook (no polling).
    const event = await succeeded;
    say(`3. received ${event.type}, verified by @herald/webhooks; ${checks.join(', ')}`);
    say(`4. same batch: ${event.data.id === batch.name}, output file: ${event.data.output_file_uri ? 'yes' : 'no'}`);

    // 6. Download the output file the event points to: files/batch-… → GET /v1beta/files/{id}:download?alt=media
    const fileId = event.data.output_file_uri!.replace(/^files\//, '');
    const out = await fetch(`${base}/v1beta/files/${fileId}:download?alt=media`, { headers });
    const first = (await out.text()).split('\n')[0]!;
    const line = JSON.parse(first) as {
      key: string;
      response: { candidates: { content: { parts: { text: string }[] } }[] };
    };
    say(`5. first output line: ${line.key} → ${line.response.candidates[0]!.content.parts[0]!.text}`);
    return lines;
  } finally {
    await herald.close();
    await new Promise((r) => server.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
