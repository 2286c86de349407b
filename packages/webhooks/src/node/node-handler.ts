/**
 * `node:http` adapter.
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebhookVerificationError } from '../errors.js';
import type { WebhookReceiver, WebhookResponse } from '../receiver/create-receiver.js';
import { readRawBody } from './read-raw-body.js';

/** Options of {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /** Largest accepted body, in bytes; larger requests get `413`. Default `1_048_576` (1 MiB). */
  maxBodyBytes?: number;
}

/**
 * Writes a receiver response to a Node `ServerResponse`.
 * @example
 * ```ts
 * sendNodeResponse(res, await receiver.handle({ body, headers: req.headers }));
 * ```
 */
export function sendNodeResponse(res: ServerResponse, response: WebhookResponse): void {
  res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
  res.end(response.body);
}

const errorResponse = (status: number, code: string, message: string): WebhookResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error: { code, message } }),
});

/**
 * Wraps a receiver as a `node:http` request listener (also usable with any framework exposing
 * Node's `req`/`res` before a body parser ran).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { toNodeHandler } from '@herald/webhooks/node';
 *
 * createServer(toNodeHandler(receiver)).listen(3000);
 * ```
 */
export function toNodeHandler(
  receiver: WebhookReceiver,
  options: NodeHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const { maxBodyBytes = 1_048_576 } = options;
  return function heraldWebhookListener(req, res) {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      sendNodeResponse(res, errorResponse(405, 'ERR_METHOD_NOT_ALLOWED', 'Use POST'));
      return;
    }
    readRawBody(req, maxBodyBytes)
      .then((body) => receiver.handle({ body, headers: req.headers }))
      .then(
        (response) => {
          sendNodeResponse(res, response);
        },
        (error: unknown) => {
          const tooLarge = error instanceof WebhookVerificationError && error.code === 'ERR_PAYLOAD_TOO_LARGE';
          res.setHeader('connection', 'close');
          sendNodeResponse(
            res,
            tooLarge
              ? errorResponse(413, 'ERR_PAYLOAD_TOO_LARGE', 'Payload too large')
              : errorResponse(400, 'ERR_BAD_REQUEST', 'Could not read the request body'),
          );
        },
      );
  };
}
