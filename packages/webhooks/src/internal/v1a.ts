/**
 * `v1a` (Ed25519) verification over `${id}.${timestamp}.${body}` with WebCrypto.
 * @internal
 */

import type { CryptoKey } from 'jose';
import type { VerificationKey } from '../jwks/key-set.js';
import { decodeBase64 } from './base64.js';
import type { SignatureEntry } from './signature-header.js';

/** Default bound on Ed25519 verifications per request (entries × keys). */
export const DEFAULT_MAX_V1A_ATTEMPTS = 16;

/** Imports a raw 32-byte Ed25519 public key. */
export function importEd25519Raw(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
}

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

/**
 * Tries each signature against each key (at most `budget.remaining` verifications in total) and
 * returns the key that verified, if any.
 */
export async function matchV1a<K extends Pick<VerificationKey, 'key'>>(
  keys: readonly K[],
  signatures: readonly Uint8Array<ArrayBuffer>[],
  data: Uint8Array<ArrayBuffer>,
  budget: { remaining: number },
): Promise<K | undefined> {
  for (const key of keys) {
    for (const signature of signatures) {
      if (budget.remaining <= 0) return undefined;
      budget.remaining--;
      if (await crypto.subtle.verify({ name: 'Ed25519' }, key.key, signature, data)) return key;
    }
  }
  return undefined;
}
