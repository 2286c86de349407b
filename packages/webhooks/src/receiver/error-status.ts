/**
 * HTTP status codes for verification errors.
 * @module
 */

import type { WebhookErrorCode } from '../errors.js';

/**
 * The HTTP status a receiver should answer for an error code:
 * `400` malformed request, `401` authenticity/freshness failure, `413` body too large,
 * `503` the JWKS is unavailable (a transient failure on our side: the sender retries later).
 *
 * @example
 * ```ts
 * res.statusCode = statusForError(err.code); // 401 for ERR_SIGNATURE_MISMATCH
 * ```
 */
export function statusForError(code: WebhookErrorCode): number {
  switch (code) {
    case 'ERR_MISSING_HEADERS':
    case 'ERR_INVALID_HEADERS':
    case 'ERR_PAYLOAD_INVALID':
    case 'ERR_NO_SUPPORTED_SIGNATURE':
      return 400;
    case 'ERR_PAYLOAD_TOO_LARGE':
      return 413;
    case 'ERR_JWKS_UNAVAILABLE':
      return 503;
    case 'ERR_DUPLICATE':
      return 200;
    case 'ERR_TIMESTAMP_TOO_OLD':
    case 'ERR_TIMESTAMP_TOO_NEW':
    case 'ERR_SIGNATURE_MISMATCH':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWT_INVALID':
    case 'ERR_JWT_CLAIM':
    case 'ERR_BODY_MISMATCH':
      return 401;
    case 'ERR_INVALID_SECRET':
    case 'ERR_INVALID_KEY':
    case 'ERR_INVALID_OPTIONS':
      return 500;
  }
}
