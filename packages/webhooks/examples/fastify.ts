/**
 * Receive Herald webhooks with Fastify 5. The plugin parses its own route's body as raw bytes;
 * other routes keep Fastify's JSON parser.
 *
 *   HERALD_WEBHOOK_SECRET=whsec_… node --conditions=@herald/source --import tsx examples/fastify.ts
 */
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { createWebhookReceiver, Webhook } from '@herald/webhooks';
import { fastifyWebhooks } from '@herald/webhooks/fastify';

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
    .on('operation.progress', (event) => {
      received.push(`${event.data.id} ${event.data.progress.percent ?? '?'}%`);
    })
    .on('webhook.ping', (event) => {
      received.push(`ping ${event.data.id}`);
    });

  const app = Fastify();
  await app.register(fastifyWebhooks, { receiver, path: '/webhooks' });
  app.post('/echo', async (request) => request.body); // JSON parsing still works elsewhere

  const address = await app.listen({ port, host: '127.0.0.1' });
  return { url: `${address}/webhooks`, received, close: () => app.close() };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url } = await start();
  console.log(`Listening for Herald webhooks on ${url}`);
}
