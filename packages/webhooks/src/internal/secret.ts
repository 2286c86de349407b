/**
 * Parsing of `whsec_` signing secrets and `whpk_` public keys.
 * @internal
 */

import { WebhookVerificationError } from '../errors.js';
import { decodeBase64 } from './base64.js';

/** Minimum and maximum decoded secret length, in bytes (Standard Webhooks: 24–64 random bytes). */
export const SECRET_MIN_BYTES = 24;
export const SECRET_MAX_BYTES = 64;

/** A secret as accepted by the verifiers: `whsec_…`, bare base64, or raw bytes. */
export type WebhookSecret = string | Uint8Array;

/**
 * Decodes a signing secret. Strings are `whsec_` + base64 (prefix optional, padding optional);
 * with `format: 'raw'` strings are taken char-code → byte like `standardwebhooks`.
 * Throws `ERR_INVALID_SECRET` for an empty, non-base64, too short or too long secret.
 */
export function parseSecret(secret: unknown, format?: 'raw'): Uint8Array {
  let key: Uint8Array | undefined;
  if (secret instanceof Uint8Array) {
    key = secret;
  } else if (typeof secret === 'string') {
    if (format === 'raw') {
      key = Uint8Array.from(secret, (c) => c.charCodeAt(0) & 0xff);
    } else {
      const encoded = secret.startsWith('whsec_') ? secret.slice(6) : secret;
      key = decodeBase64(encoded);
      if (!key) throw new WebhookVerificationError('ERR_INVALID_SECRET', 'Webhook secret is not valid base64');
    }
  } else {
    throw new WebhookVerificationError('ERR_INVALID_SECRET', 'Expected secret to be of type string or Uint8Array');
  }
  if (key.length === 0) throw new WebhookVerificationError('ERR_INVALID_SECRET', "Secret can't be empty.");
  if (key.length < SECRET_MIN_BYTES || key.length > SECRET_MAX_BYTES) {
    throw new WebhookVerificationError(
      'ERR_INVALID_SECRET',
      `Webhook secret must decode to ${SECRET_MIN_BYTES}–${SECRET_MAX_BYTES} bytes, got ${key.length}`,
    );
  }
  return key;
}

/** Decodes a `whpk_` Ed25519 public key (prefix optional) to its 32 raw bytes. */
export function parsePublicKey(publicKey: string): Uint8Array<ArrayBuffer> {
  const encoded = publicKey.startsWith('whpk_') ? publicKey.slice(5) : publicKey;
  const bytes = decodeBase64(encoded);
  if (bytes?.length !== 32) {
    throw new WebhookVerificationError('ERR_INVALID_KEY', 'A whpk_ public key must be base64 of 32 bytes');
  }
  return new Uint8Array(bytes);
}
