/**
 * Receive Herald webhooks with Express 5. The webhook route is mounted before `express.json()`:
 * signatures cover the raw body bytes.
 *
 *   HERALD_WEBHOOK_SECRET=whsec_… node --conditions=@herald/source --import tsx examples/express.ts
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { createWebhookReceiver, Webhook } from '@herald/webhooks';
import { expressWebhookHandler } from '@herald/webhooks/express';

export interface ExampleOptions {
  port?: number;
  secret?: string;
}

export interface ExampleServer {
  url: string;
  received: string[];
  close(): Promise<void>;
}

export async function start({
  port = 3000,
  secret = process.env['HERALD_WEBHOOK_SECRET'] ?? '',
}: ExampleOptions = {}): Promise<ExampleServer> {
  const received: string[] = [];
  const receiver = createWebhookReceiver({ verifier: new Webhook(secret) })
    .on('video.generated', (event) => {
      received.push(`video ${event.data.id} at ${event.data.video_uri}`);
    })
    .on('webhook.ping', (event) => {
      received.push(`ping ${event.data.id}`);
    });

  const app = express();
  app.post('/webhooks', expressWebhookHandler(receiver));
  app.use(express.json()); // the rest of the app may parse JSON as usual
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });

  const server = app.listen(port, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}/webhooks`,
    received,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url } = await start();
  console.log(`Listening for Herald webhooks on ${url}`);
}
