import { randomBytes } from 'node:crypto';

/** `0-9A-Za-z`: URL-safe, dot-free, case-sensitive. */
export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** `0-9a-z`: the alphabet of Gemini-style webhook ids. */
export const BASE36_LOWER = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Returns `length` characters drawn uniformly from `alphabet` (2–256 distinct characters), using
 * rejection sampling over `crypto.randomBytes` so there is no modulo bias.
 *
 * @example randomString(BASE36_LOWER, 8) // 'k3x09qzt'
 */
export function randomString(alphabet: string, length: number): string {
  const n = alphabet.length;
  if (n < 2 || n > 256) throw new RangeError('randomString: alphabet must have 2–256 characters');
  if (!Number.isInteger(length) || length < 0) throw new RangeError('randomString: length must be an integer ≥ 0');
  const limit = 256 - (256 % n); // bytes ≥ limit would bias the result
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(Math.ceil((length - out.length) * 1.3) + 8)) {
      if (byte < limit) out += alphabet.charAt(byte % n);
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * A prefixed random id with at least `bytes` bytes of entropy, encoded in base62 (no dots, so it is
 * safe as a Standard Webhooks `webhook-id`). 16 bytes → 22 characters.
 *
 * @example randomId('msg_') // 'msg_4Qd0cN1kz9bT2yXwVhG7eP'
 */
export function randomId(prefix: string, bytes = 16): string {
  if (prefix.includes('.')) throw new RangeError('randomId: prefix must not contain "."');
  return prefix + randomString(BASE62, Math.ceil((bytes * 8) / Math.log2(62)));
}

/** A static webhook id: 36 characters of `[0-9a-z]` (≈ 186 bits). */
export function webhookId(): string {
  return randomString(BASE36_LOWER, 36);
}
