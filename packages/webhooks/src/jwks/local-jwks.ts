/**
 * A key set from a JWKS object held in memory.
 * @module
 */

import type { JSONWebKeySet } from 'jose';
import { assertJwks, importJwks } from './import-jwks.js';
import type { KeySet, VerificationKey } from './key-set.js';

/**
 * Creates a {@link KeySet} from a local JWKS document (for example one bundled with your
 * deployment, or fetched by your own code). Keys are imported once, on first use.
 *
 * @param jwks `{ keys: [...] }` with OKP/Ed25519 and/or RSA keys.
 * @throws `WebhookVerificationError` `ERR_INVALID_KEY` when `jwks` has no `keys` array.
 * @example
 * ```ts
 * const keys = createLocalJwks({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: '…', kid: 'k1' }] });
 * const verifier = new WebhookVerifier({ jwks: keys });
 * ```
 */
export function createLocalJwks(jwks: JSONWebKeySet): KeySet {
  assertJwks(jwks);
  let imported: Promise<VerificationKey[]> | undefined;
  return {
    getKeys: () => (imported ??= importJwks(jwks)),
    refresh: async () => undefined,
  };
}
