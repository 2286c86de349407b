/**
 * Express adapter.
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookReceiver } from '../receiver/create-receiver.js';
import { readRawBody } from '../node/read-raw-body.js';
import { sendNodeResponse } from '../node/node-handler.js';
import { WebhookVerificationError } from '../errors.js';

/** Options of {@link expressWebhookHandler}. */
export interface ExpressHandlerOptions {
  /** Largest accepted body, in bytes, when this handler reads the body itself. Default `1_048_576`. */
  maxBodyBytes?: number;
}

/** The parts of Express' `req` this handler uses (Express' `Request` satisfies it). */
export type ExpressLikeRequest = IncomingMessage & { body?: unknown };

/**
 * Wraps a receiver as an Express request handler. Mount it **before** `express.json()` (or on a
 * route with `express.raw({ type: '*\/*' })`): signatures cover the raw bytes, so a body already
 * parsed to an object cannot be verified — that case is passed to `next()` as an error.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { expressWebhookHandler } from '@herald/webhooks/express';
 *
 * const app = express();
 * app.post('/webhooks', expressWebhookHandler(receiver));
 * app.use(express.json()); // other routes
 * ```
 */
export function expressWebhookHandler(
  receiver: WebhookReceiver,
  options: ExpressHandlerOptions = {},
): (req: ExpressLikeRequest, res: ServerResponse, next: (error?: unknown) => void) => void {
  const { maxBodyBytes = 1_048_576 } = options;
  return function heraldWebhookMiddleware(req, res, next) {
    let body: Promise<Uint8Array | string>;
    if (req.body instanceof Uint8Array || typeof req.body === 'string') {
      body = Promise.resolve(req.body);
    } else if (req.body !== undefined && req.readableEnded) {
      next(new Error('@herald/webhooks needs the raw body: mount the handler before express.json()'));
      return;
    } else {
      body = readRawBody(req, maxBodyBytes);
    }
    body
      .then((raw) => receiver.handle({ body: raw, headers: req.headers }))
      .then(
        (response) => {
          sendNodeResponse(res, response);
        },
        (error: unknown) => {
          if (error instanceof WebhookVerificationError && error.code === 'ERR_PAYLOAD_TOO_LARGE') {
            res.setHeader('connection', 'close');
            sendNodeResponse(res, {
              status: 413,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ error: { code: error.code, message: error.message } }),
            });
            return;
          }
          next(error);
        },
      );
  };
}
