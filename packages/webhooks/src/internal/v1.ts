/**
 * `v1` (HMAC-SHA256) matching shared by both verifiers.
 * @internal
 */

import { WebhookVerificationError } from '../errors.js';
import type { WebhookPayload } from '../webhook-input.js';
import { timingSafeEqualString } from './bytes.js';
import type { V1Signer } from './hmac.js';
import type { SignatureEntry } from './signature-header.js';

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
