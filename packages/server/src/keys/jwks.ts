import type { JWK } from 'jose';

/** A JSON Web Key Set document, as served at `/.well-known/jwks.json`. */
export interface Jwks {
  keys: JWK[];
}

/** JWK members that may appear in a public key set; anything else (notably `d`, `p`, `q`, `k`) is dropped. */
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'kid', 'alg', 'use', 'key_ops'] as const;

/**
 * Builds the JWKS document from the public JWKs of the active and retired-but-unexpired signing keys.
 * Only public members are copied, so a private JWK passed by mistake never leaks.
 *
 * @throws Error when a key has no `kid` (receivers look keys up by `kid`).
 * @example
 * reply.send(buildJwks(await store.listPublishedSigningKeys()));
 */
export function buildJwks(keys: readonly { publicJwk: JWK }[]): Jwks {
  return {
    keys: keys.map(({ publicJwk }) => {
      if (publicJwk.kid === undefined || publicJwk.kid === '') throw new Error('buildJwks: every key needs a kid');
      const out: Record<string, unknown> = {};
      for (const member of PUBLIC_MEMBERS) {
        if (publicJwk[member] !== undefined) out[member] = publicJwk[member];
      }
      return out;
    }),
  };
}
