/**
 * Receive Herald webhooks with plain `node:http`.
 *
 *   HERALD_WEBHOOK_SECRET=whsec_… node --conditions=@herald/source --import tsx examples/node-http.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createWebhookReceiver, Webhook } from '@herald/webhooks';
import { toNodeHandler } from '@herald/webhooks/node';

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
    .on('batch.succeeded', (event) => {
      received.push(`batch ${event.data.id} → ${event.data.output_file_uri ?? 'inline results'}`);
    })
    .on('batch.failed', (event) => {
      received.push(`batch ${event.data.id} failed: ${event.data.error_message}`);
    })
    .on('webhook.ping', (event) => {
      received.push(`ping ${event.data.id}`);
    });

  const webhooks = toNodeHandler(receiver);
  const server = createServer((req, res) => {
    if (req.url === '/webhooks') return webhooks(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
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
