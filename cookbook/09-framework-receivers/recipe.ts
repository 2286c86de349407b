/**
 * Serverless and framework receivers: a Web Request/Response handler (Next.js route handlers,
 * Hono, Bun, Deno, Cloudflare Workers) and Fastify, both receiving the same event. Run with
 *   npx tsx --conditions=@herald/source cookbook/09-framework-receivers/recipe.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { createHerald } from '@herald/server';
import {
  createWebhookReceiver,
  toFetchHandler,
  Webhook,
  WebhookVerifier,
  type WebhookReceiver,
} from '@herald/webhooks';
import { fastifyWebhooks } from '@herald/webhooks/fastify';

/**
 * The serverless receiver: a `(Request) => Promise<Response>` function and nothing else.
 *   Next.js (app/api/webhooks/route.ts):  export const POST = handler;
 *   Hono:                                 app.post('/webhooks', (c) => handler(c.req.raw));
 *   Bun / Deno / Workers:                 export default { fetch: handler };
 */
export function createFetchReceiver(secret: string, onPaid: (order: string) => void) {
  // WebhookVerifier uses WebCrypto only, so it runs on every edge runtime.
  const receiver = createWebhookReceiver({ verifier: new WebhookVerifier({ secrets: secret }) }).on(
    'order.paid',
    (event) => onPaid((event.data as { order: string }).order),
  );
  return toFetchHandler(receiver);
}

/** Serves a fetch handler on Node (what the runtimes above do for you). */
async function serveOnNode(handler: (request: Request) => Promise<Response>) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
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
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks`, server };
}

/** Runs the recipe; returns one line per step (also printed). */
export async function run(log: (line: string) => void = console.log): Promise<string[]> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    log(l);
  };

  const dataDir = mkdtempSync(join(tmpdir(), 'herald-recipe-'));
  const herald = await createHerald({ config: { port: 0, dataDir, logLevel: 'silent' } });
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

  let fetchHandler: ((r: Request) => Promise<Response>) | undefined;
  const web = await serveOnNode((r) => fetchHandler!(r));
  const fastify = Fastify();
  let fastifyReceiver: WebhookReceiver | undefined;

  try {
    let byFetch!: (order: string) => void;
    const fetchGot = new Promise<string>((r) => (byFetch = r));
    let byFastify!: (order: string) => void;
    const fastifyGot = new Promise<string>((r) => (byFastify = r));

    // Fastify: the plugin parses raw bytes on its own route only; other routes keep JSON parsing.
    // In production the secret comes from your config; here it exists only once the webhook is
    // created (after Fastify listens), so the plugin delegates to the receiver built then.
    const late: WebhookReceiver = { on: () => late, handle: (request) => fastifyReceiver!.handle(request) };
    await fastify.register(fastifyWebhooks, { path: '/webhooks', receiver: late });
    fastify.post('/echo', async (request) => request.body);
    const fastifyUrl = `${await fastify.listen({ port: 0, host: '127.0.0.1' })}/webhooks`;

    // Two static webhooks, one per receiver, both subscribed to order.paid.
    const fetchSecret = (
      await api<{ new_signing_secret: string }>('POST', '/v1beta/webhooks', {
        uri: web.url,
        subscribed_events: ['order.paid'],
      })
    ).new_signing_secret;
    const fastifySecret = (
      await api<{ new_signing_secret: string }>('POST', '/v1beta/webhooks', {
        uri: fastifyUrl,
        subscribed_events: ['order.paid'],
      })
    ).new_signing_secret;
    fetchHandler = createFetchReceiver(fetchSecret, byFetch);
    fastifyReceiver = createWebhookReceiver({ verifier: new Webhook(fastifySecret) }).on('order.paid', (event) =>
      byFastify((event.data as { order: string }).order),
    );

    await api('POST', '/v1beta/events', { type: 'order.paid', data: { order: 'A-17' } });
    say(`1. Web Request handler (toFetchHandler): verified order.paid ${await fetchGot}`);
    say(`2. Fastify (fastifyWebhooks): verified order.paid ${await fastifyGot}`);

    // The handler is a plain function: test it without a server. A forged request is refused.
    const forged = await fetchHandler(
      new Request('https://example.com/api/webhooks', {
        method: 'POST',
        headers: {
          'webhook-id': 'msg_forged',
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
          'webhook-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        },
        body: JSON.stringify({
          type: 'order.paid',
          version: 'v1',
          timestamp: new Date().toISOString(),
          data: { order: 'X' },
        }),
      }),
    );
    say(
      `3. forged request to the fetch handler: ${forged.status} ${((await forged.json()) as { error: { code: string } }).error.code}`,
    );

    const echo = await fastify.inject({ method: 'POST', url: '/echo', payload: { still: 'json' } });
    say(`4. other Fastify routes still parse JSON: ${echo.body}`);
    return lines;
  } finally {
    await herald.close();
    await fastify.close();
    await new Promise((r) => web.server.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
