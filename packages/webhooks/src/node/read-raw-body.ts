/**
 * Reads a Node request body as raw bytes, with a size limit.
 * @module
 */

import type { IncomingMessage } from 'node:http';
import { WebhookVerificationError } from '../errors.js';

/**
 * Collects the body of `req` without decoding it. Rejects with `ERR_PAYLOAD_TOO_LARGE` once more
 * than `maxBytes` arrive (the rest of the body is drained, not buffered).
 *
 * @example
 * ```ts
 * const body = await readRawBody(req, 1_048_576);
 * ```
 */
export function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let length = 0;
    let failed = false;
    req.on('data', (chunk: Uint8Array) => {
      if (failed) return;
      length += chunk.length;
      if (length > maxBytes) {
        failed = true;
        chunks.length = 0;
        reject(new WebhookVerificationError('ERR_PAYLOAD_TOO_LARGE'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
      failed = true;
    });
  });
}
