/**
 * `v1` (HMAC-SHA256) matching shared by both verifiers.
 * @internal
 */

import { WebhookVerificationError } from '../errors.js';
import type { WebhookPayload } from '../webhook-input.js';
import { timingSafeEqualString } from './bytes.js';
import type { V1Signer } from './hmac.js';
import { MAX_SIGNATURE_ENTRIES, parseSignatureHeader, type SignatureEntry } from './signature-header.js';

/**
 * True when any `v1` entry equals the signature of any secret (constant-time per comparison).
 * Entries of other versions are skipped.
 */
export function matchV1(
  signers: readonly V1Signer[],
  prefix: string,
  payload: WebhookPayload,
  entries: readonly SignatureEntry[],
): boolean {
  let hasV1 = false;
  for (const entry of entries) if (entry.version === 'v1') hasV1 = true;
  if (!hasV1) return false;
  for (const sign of signers) {
    const expected = sign(prefix, payload);
    for (const entry of entries) {
      if (entry.version === 'v1' && timingSafeEqualString(entry.value, expected)) return true;
    }
  }
  return false;
}

/**
 * The synchronous fast path of `Webhook`: scans the raw header for `v1,` items without building
 * entry objects, signing with each secret at most once. Same result as
 * `matchV1(signers, prefix, payload, parseSignatureHeader(header))`, which it delegates to for
 * headers with many items (so the {@link MAX_SIGNATURE_ENTRIES} bound is enforced identically).
 */
export function matchV1Header(
  signers: readonly V1Signer[],
  prefix: string,
  payload: WebhookPayload,
  header: string,
): boolean {
  let spaces = 0;
  for (let i = 0; i < header.length; i++) if (header.charCodeAt(i) === 32) spaces++;
  if (spaces >= MAX_SIGNATURE_ENTRIES) return matchV1(signers, prefix, payload, parseSignatureHeader(header));
  const expected: (string | undefined)[] = [];
  for (let start = 0; start < header.length;) {
    let end = header.indexOf(' ', start);
    if (end === -1) end = header.length;
    if (header.startsWith('v1,', start)) {
      const value = header.slice(start + 3, header.charCodeAt(end - 1) === 44 ? end - 1 : end);
      for (let i = 0; i < signers.length; i++) {
        const signature = (expected[i] ??= signers[i]!(prefix, payload));
        if (timingSafeEqualString(value, signature)) return true;
      }
    }
    start = end + 1;
  }
  return false;
}

/** Throws the error for a header with no match: mismatch if `versions` were present, else unsupported. */
export function noMatch(entries: readonly SignatureEntry[], versions: readonly string[]): never {
  if (entries.some((entry) => versions.includes(entry.version))) {
    throw new WebhookVerificationError('ERR_SIGNATURE_MISMATCH');
  }
  throw new WebhookVerificationError(
    'ERR_NO_SUPPORTED_SIGNATURE',
    `No matching signature found: no ${versions.join('/')} signature in webhook-signature`,
  );
}
