/**
 * Parsing of the `webhook-signature` list: space-separated `version,signature` items.
 * @internal
 */

import { WebhookVerificationError } from '../errors.js';

/** One `version,signature` item of the header. */
export interface SignatureEntry {
  version: string;
  value: string;
}

/** Upper bound on items per header (a real sender uses a handful during rotation). */
export const MAX_SIGNATURE_ENTRIES = 32;

/**
 * Splits the header into entries. Items without a comma are ignored; a trailing comma left by
 * proxies that join repeated headers with `", "` is dropped. More than
 * {@link MAX_SIGNATURE_ENTRIES} items is `ERR_INVALID_HEADERS`.
 */
export function parseSignatureHeader(header: string): SignatureEntry[] {
  const entries: SignatureEntry[] = [];
  for (const item of header.split(' ')) {
    const comma = item.indexOf(',');
    if (comma <= 0) continue;
    let value = item.slice(comma + 1);
    if (value.endsWith(',')) value = value.slice(0, -1);
    entries.push({ version: item.slice(0, comma), value });
    if (entries.length > MAX_SIGNATURE_ENTRIES) {
      throw new WebhookVerificationError('ERR_INVALID_HEADERS', 'Invalid Signature Headers: too many signatures');
    }
  }
  return entries;
}

/** True when the header is a compact JWS (`header.payload.signature`) rather than a list. */
export function isJwtSignature(header: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(header);
}
