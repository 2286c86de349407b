/**
 * Receive Herald webhooks with Web `Request`/`Response` — the shape of Hono, Next.js route
 * handlers, Bun, Deno and Cloudflare Workers. `handler` is all those runtimes need:
 *
 *   // Next.js app/api/webhooks/route.ts     export const POST = handler;
 *   // Hono                                   app.post('/webhooks', (c) => handler(c.req.raw));
 *   // Bun / Deno / Workers                   export default { fetch: handler };
 *
 * `start()` serves it on Node through a small node:http bridge so the example runs anywhere:
 *
 *   HERALD_WEBHOOK_SECRET=whsec_… node --conditions=@herald/source --import tsx examples/fetch.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createWebhookReceiver, toFetchHandler, WebhookVerifier } from '@herald/webhooks';

export interface ExampleOptions {
  port?: number;
  secret?: string;
}

export interface ExampleServer {
  url: string;
  received: string[];
  close(): Promise<void>;
}

/** Builds the runtime-neutral handler (WebCrypto-based `WebhookVerifier`, no Node APIs). */
export function createHandler(secret: string, received: string[]): (request: Request) => Promise<Response> {
  const verifier = new WebhookVerifier({ secrets: secret });
  const receiver = createWebhookReceiver({ verifier })
    .on('interaction.completed', (event) => {
      received.push(`interaction ${event.data.id} completed`);
    })
    .on('webhook.ping', (event) => {
      received.push(`ping ${event.data.id}`);
    });
  return toFetchHandler(receiver);
}

export async function start({
  port = 3000,
  secret = process.env['HERALD_WEBHOOK_SECRET'] ?? '',
}: ExampleOptions = {}): Promise<ExampleServer> {
  const received: string[] = [];
  const handler = createHandler(secret, received);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = new Request(`http://127.0.0.1${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers: Object.entries(req.headers).flatMap(([k, v]) =>
          v === undefined ? [] : [[k, String(v)] as [string, string]],
        ),
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
      });
      void handler(request).then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
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
