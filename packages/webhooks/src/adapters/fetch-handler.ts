/**
 * Web `Request` → `Response` adapter (Hono, Next.js route handlers, Deno, Bun, Cloudflare Workers).
 * @module
 */

import type { WebhookReceiver, WebhookResponse } from '../receiver/create-receiver.js';

/** Options of {@link toFetchHandler}. */
export interface FetchHandlerOptions {
  /** Largest accepted body, in bytes; larger requests get `413`. Default `1_048_576` (1 MiB). */
  maxBodyBytes?: number;
}

const respond = (r: WebhookResponse): Response => new Response(r.body, { status: r.status, headers: r.headers });

const reject = (status: number, code: string, message: string, headers: Record<string, string> = {}): Response =>
  respond({
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ error: { code, message } }),
  });

/**
 * Wraps a receiver as a `(request: Request) => Promise<Response>` function. Reads the raw body
 * (never a parsed one), answers `405` to non-POST requests and `413` over `maxBodyBytes`.
 *
 * @example
 * ```ts
 * // Next.js: app/api/webhooks/route.ts
 * export const POST = toFetchHandler(receiver);
 * // Hono
 * app.post('/webhooks', (c) => handler(c.req.raw));
 * // Cloudflare Workers / Bun / Deno
 * export default { fetch: toFetchHandler(receiver) };
 * ```
 */
export function toFetchHandler(
  receiver: WebhookReceiver,
  options: FetchHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const { maxBodyBytes = 1_048_576 } = options;
  return async function heraldWebhookHandler(request: Request): Promise<Response> {
    if (request.method !== 'POST') {
      return reject(405, 'ERR_METHOD_NOT_ALLOWED', 'Use POST', { allow: 'POST' });
    }
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > maxBodyBytes) return reject(413, 'ERR_PAYLOAD_TOO_LARGE', 'Payload too large');
    const body = new Uint8Array(await request.arrayBuffer());
    if (body.length > maxBodyBytes) return reject(413, 'ERR_PAYLOAD_TOO_LARGE', 'Payload too large');
    return respond(await receiver.handle({ body, headers: request.headers }));
  };
}
