import { sign, type KeyObject } from 'node:crypto';
import { signedContent, type SignedContentInput } from './signed-content.js';

/** Input of {@link signV1a}. */
export interface SignV1aInput extends SignedContentInput {
  /** An Ed25519 private key, e.g. from `importPrivateKey(pem)`. */
  privateKey: KeyObject;
}

/**
 * Signs one delivery attempt with Standard Webhooks `v1a` (Ed25519 over `${msgId}.${timestamp}.${body}`)
 * and returns the `webhook-signature` header value `v1a,<base64 of the 64-byte signature>`.
 *
 * @throws TypeError when the key is not an Ed25519 private key; RangeError for an invalid id/timestamp.
 * @example
 * signV1a({ msgId, timestamp: Math.floor(Date.now() / 1000), body, privateKey: importPrivateKey(pem) })
 * // 'v1a,hnO3f9T8…m7TBAg=='
 */
export function signV1a(input: SignV1aInput): string {
  const { privateKey } = input;
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(
      `signV1a: expected an Ed25519 private key, got ${privateKey.type} ${privateKey.asymmetricKeyType ?? 'key'}`,
    );
  }
  return `v1a,${sign(null, signedContent(input), privateKey).toString('base64')}`;
}
