/**
 * JSON parsing of a verified body.
 * @internal
 */

import { WebhookVerificationError } from '../errors.js';
import type { WebhookPayload } from '../webhook-input.js';
import { payloadText } from './bytes.js';

/**
 * `JSON.parse` of the body, `undefined` for an empty body (like `standardwebhooks`), and
 * `ERR_PAYLOAD_INVALID` (with the `SyntaxError` as `cause`) for a body that is not JSON.
 */
export function parseBody(payload: WebhookPayload): unknown {
  const text = payloadText(payload);
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new WebhookVerificationError('ERR_PAYLOAD_INVALID', 'Payload is not valid JSON', { cause });
  }
}
