import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { decodeSigningSecret } from '../../keys/signing-secret.js';
import { signedContent, type SignedContentInput } from './signed-content.js';

/** Input of {@link signV1}. */
export interface SignV1Input extends SignedContentInput {
  /** Unexpired `whsec_…` secrets, newest first; one signature is produced per secret, in this order. */
  secrets: readonly string[];
}

const MAX_CACHED_KEYS = 10_000;
const keyCache = new Map<string, KeyObject>();

/** Decodes a `whsec_` secret into an HMAC key once and reuses it (bounded, oldest-first eviction). */
function hmacKey(secret: string): KeyObject {
  let key = keyCache.get(secret);
  if (key === undefined) {
    key = createSecretKey(decodeSigningSecret(secret));
    if (keyCache.size >= MAX_CACHED_KEYS) {
      const oldest = keyCache.keys().next();
      if (oldest.done !== true) keyCache.delete(oldest.value);
    }
    keyCache.set(secret, key);
  }
  return key;
}

/**
 * Signs one delivery attempt with Standard Webhooks `v1` (HMAC-SHA256 over
 * `${msgId}.${timestamp}.${body}`) and returns the `webhook-signature` header value: one
 * `v1,<base64>` item per secret, space-separated, in the order given.
 *
 * @throws RangeError when no secret is given, a secret is malformed, or the id/timestamp are invalid.
 * @example
 * signV1({ msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '{"test": 2432232314}',
 *          secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] })
 * // 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
 */
export function signV1(input: SignV1Input): string {
  if (input.secrets.length === 0) throw new RangeError('signV1: at least one signing secret is required');
  const content = signedContent(input);
  return input.secrets
    .map((secret) => `v1,${createHmac('sha256', hmacKey(secret)).update(content).digest('base64')}`)
    .join(' ');
}
