import { randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';
const MIN_BYTES = 24;
const MAX_BYTES = 64;

/** A new Standard Webhooks HMAC secret: `whsec_` + padded base64 of 32 random bytes (50 chars in all). */
export function newSigningSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/** A display form that reveals only the last 4 characters: `whsec_...AbC=`. */
export function truncateSecret(secret: string): string {
  return `${PREFIX}...${secret.slice(-4)}`;
}

/**
 * Decodes a `whsec_…` secret (the prefix is optional) into its HMAC key bytes.
 *
 * @throws RangeError when the text is not standard base64 or decodes to fewer than 24 or more than 64
 *   bytes (the Standard Webhooks bounds).
 */
export function decodeSigningSecret(secret: string): Buffer {
  const text = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw new RangeError('signing secret must be "whsec_" followed by standard base64');
  }
  const key = Buffer.from(text, 'base64');
  if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
    throw new RangeError(`signing secret must decode to ${MIN_BYTES}–${MAX_BYTES} bytes, got ${key.length}`);
  }
  return key;
}
