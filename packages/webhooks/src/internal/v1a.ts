/**
 * `v1a` (Ed25519) signatures over `${id}.${timestamp}.${body}`.
 * @internal
 */

import { decodeBase64 } from './base64.js';
import type { SignatureEntry } from './signature-header.js';

/** Default bound on Ed25519 verifications per request (entries × keys). */
export const DEFAULT_MAX_V1A_ATTEMPTS = 16;

/** The decoded 64-byte signatures of the `v1a` entries (malformed ones dropped). */
export function v1aSignatures(entries: readonly SignatureEntry[]): Uint8Array<ArrayBuffer>[] {
  const out: Uint8Array<ArrayBuffer>[] = [];
  for (const entry of entries) {
    if (entry.version !== 'v1a') continue;
    const bytes = decodeBase64(entry.value);
    if (bytes?.length === 64) out.push(new Uint8Array(bytes));
  }
  return out;
}
