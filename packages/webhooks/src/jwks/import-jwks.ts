/**
 * Turns a JWKS document into {@link VerificationKey}s.
 * @internal
 */

import { importJWK, type JSONWebKeySet, type JWK } from 'jose';
import { WebhookVerificationError } from '../errors.js';
import type { VerificationKey } from './key-set.js';

/** Keys beyond this many are ignored (bounds work per document). */
export const MAX_JWKS_KEYS = 64;

function keyType(jwk: JWK): VerificationKey['type'] | undefined {
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined;
  if (
    jwk.kty === 'OKP' &&
    jwk.crv === 'Ed25519' &&
    (jwk.alg === undefined || jwk.alg === 'EdDSA' || jwk.alg === 'Ed25519')
  ) {
    return 'Ed25519';
  }
  if (jwk.kty === 'RSA' && (jwk.alg === undefined || jwk.alg === 'RS256')) return 'RSA';
  return undefined;
}

/** Validates the document shape; throws `ERR_INVALID_KEY` when it is not `{ keys: [...] }`. */
export function assertJwks(value: unknown): asserts value is JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (typeof value !== 'object' || value === null || !Array.isArray(keys)) {
    throw new WebhookVerificationError('ERR_INVALID_KEY', 'A JWKS must be an object with a "keys" array');
  }
}

/**
 * Imports the Ed25519 (OKP) and RS256 (RSA) signing keys of a JWKS. Other keys (EC, `use: enc`,
 * other algorithms) and keys that fail to import are skipped.
 */
export async function importJwks(jwks: JSONWebKeySet): Promise<VerificationKey[]> {
  const out: VerificationKey[] = [];
  for (const jwk of jwks.keys.slice(0, MAX_JWKS_KEYS)) {
    if (typeof jwk !== 'object' || jwk === null) continue;
    const type = keyType(jwk);
    if (!type) continue;
    try {
      const key = await importJWK({ ...jwk, ext: false }, type === 'Ed25519' ? 'Ed25519' : 'RS256');
      if (key instanceof Uint8Array) continue;
      out.push({ kid: typeof jwk.kid === 'string' ? jwk.kid : undefined, type, key, jwk });
    } catch {
      // Skipped: a malformed key must not make the whole set unusable.
    }
  }
  return out;
}
