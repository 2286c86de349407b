/**
 * Input types shared by every verifier: the raw body and the request headers.
 * @module
 */

/**
 * A raw request body: the exact bytes as received (`string`, Node `Buffer`, `Uint8Array` or
 * `ArrayBuffer`). Never pass a re-serialised `JSON.stringify(req.body)`: signatures cover bytes.
 *
 * @example
 * ```ts
 * const payload: WebhookPayload = await request.arrayBuffer();
 * ```
 */
export type WebhookPayload = string | Uint8Array | ArrayBuffer;

/** Anything with a case-insensitive `get(name)`, such as the Web `Headers` class. */
export interface HeadersLike {
  get(name: string): string | null;
}

/**
 * Request headers in any common shape: a Web `Headers` instance, a plain object with any key case,
 * or Node's `IncomingHttpHeaders` (values may be `string[]`).
 *
 * @example
 * ```ts
 * const headers: WebhookHeaders = req.headers; // node:http, Express, Fastify
 * const headers2: WebhookHeaders = request.headers; // fetch Request
 * ```
 */
export type WebhookHeaders = HeadersLike | Readonly<Record<string, string | readonly string[] | undefined>>;
