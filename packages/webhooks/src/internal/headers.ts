/**
 * Reads the three webhook headers from any header shape, case-insensitively, accepting both the
 * `webhook-*` and the `svix-*` names (per field, `webhook-*` first).
 * @internal
 */

import { WebhookVerificationError } from '../errors.js';
import type { HeadersLike, WebhookHeaders } from '../webhook-input.js';

/** The raw values of the three webhook headers. */
export interface RawWebhookHeaders {
  id: string;
  timestamp: string;
  signature: string;
}

type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

function isHeadersLike(headers: WebhookHeaders): headers is HeadersLike {
  return typeof (headers as Partial<HeadersLike>).get === 'function';
}

function lowerCased(headers: HeaderRecord): HeaderRecord {
  const out: Record<string, string | readonly string[] | undefined> = {};
  for (const key of Object.keys(headers)) out[key.toLowerCase()] = headers[key];
  return out;
}

function single(value: string | readonly string[] | undefined, separator: string | undefined): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  if (value.length <= 1) return value[0];
  if (separator !== undefined) return value.join(separator);
  throw new WebhookVerificationError('ERR_INVALID_HEADERS', 'Invalid Signature Headers: repeated webhook header');
}

function fromRecord(record: HeaderRecord): { [K in keyof RawWebhookHeaders]: string | undefined } {
  return {
    id: single(record['webhook-id'] ?? record['svix-id'], undefined),
    timestamp: single(record['webhook-timestamp'] ?? record['svix-timestamp'], undefined),
    signature: single(record['webhook-signature'] ?? record['svix-signature'], ' '),
  };
}

/**
 * Returns the header values, or throws `ERR_MISSING_HEADERS` when one is absent or empty.
 * Repeated `webhook-signature` values are joined with a space (they are lists); repeated
 * `webhook-id` / `webhook-timestamp` values are `ERR_INVALID_HEADERS`.
 */
export function readWebhookHeaders(headers: WebhookHeaders): RawWebhookHeaders {
  let id: string | undefined;
  let timestamp: string | undefined;
  let signature: string | undefined;
  if (isHeadersLike(headers)) {
    id = headers.get('webhook-id') ?? headers.get('svix-id') ?? undefined;
    timestamp = headers.get('webhook-timestamp') ?? headers.get('svix-timestamp') ?? undefined;
    signature = headers.get('webhook-signature') ?? headers.get('svix-signature') ?? undefined;
  } else {
    ({ id, timestamp, signature } = fromRecord(headers));
    // Node and most frameworks lower-case names already; otherwise look again case-insensitively.
    if (id === undefined || timestamp === undefined || signature === undefined) {
      ({ id, timestamp, signature } = fromRecord(lowerCased(headers)));
    }
  }
  if (!id || !timestamp || !signature) throw new WebhookVerificationError('ERR_MISSING_HEADERS');
  return { id, timestamp, signature };
}
