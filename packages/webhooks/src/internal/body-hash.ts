/**
 * The `body_sha256` JWT claim: SHA-256 of the raw body, hex or base64url (base64 also accepted).
 * @internal
 */

import { WebhookVerificationError } from '../errors.js';
import { decodeBase64 } from './base64.js';
import { timingSafeEqualBytes } from './bytes.js';

function decodeDigest(claim: string): Uint8Array | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(claim)) {
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) out[i] = parseInt(claim.slice(i * 2, i * 2 + 2), 16);
    return out;
  }
  const bytes = decodeBase64(claim);
  return bytes?.length === 32 ? bytes : undefined;
}

/**
 * Checks `claim` against SHA-256(`body`) in constant time. Missing or undecodable claim:
 * `ERR_JWT_CLAIM` (`claim: 'body_sha256'`); different digest: `ERR_BODY_MISMATCH`.
 */
export async function checkBodyHash(claim: unknown, body: Uint8Array<ArrayBuffer>): Promise<void> {
  const expected = typeof claim === 'string' ? decodeDigest(claim) : undefined;
  if (!expected) {
    throw new WebhookVerificationError(
      'ERR_JWT_CLAIM',
      'JWT "body_sha256" claim missing or not a hex/base64url SHA-256 digest',
      { claim: 'body_sha256' },
    );
  }
  const actual = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
  if (!timingSafeEqualBytes(actual, expected)) throw new WebhookVerificationError('ERR_BODY_MISMATCH');
}
