/**
 * The key-set abstraction behind `v1a`-with-JWKS and JWT verification.
 * @module
 */

import type { CryptoKey, JWK } from 'jose';

/** A usable public key from a JWKS. */
export interface VerificationKey {
  /** The JWK `kid`, if any. */
  kid: string | undefined;
  /** `'Ed25519'` (OKP keys, for `v1a` and EdDSA JWTs) or `'RSA'` (for RS256 JWTs). */
  type: 'Ed25519' | 'RSA';
  /** The imported WebCrypto key. */
  key: CryptoKey;
  /** The public JWK as published. */
  jwk: JWK;
}

/**
 * A set of public keys that may change over time. {@link createLocalJwks} and
 * {@link createRemoteJwks} create one; implement it yourself to load keys from elsewhere.
 *
 * @example
 * ```ts
 * const keys: KeySet = createRemoteJwks('https://herald.example.com/.well-known/jwks.json');
 * ```
 */
export interface KeySet {
  /** The current keys (fetched on first use, and again once the cache is older than its max age). */
  getKeys(): Promise<readonly VerificationKey[]>;
  /**
   * Called when no key matched (unknown `kid`, or no `v1a` signature verified). Resolves to a fresh
   * list, or `undefined` when no refresh is possible now (local set, or cooldown not elapsed).
   */
  refresh(): Promise<readonly VerificationKey[] | undefined>;
}
