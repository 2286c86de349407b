import type { SecretBox } from './secret-box.js';
import type { SigningKeyRecord } from '../model/signing-records.js';
import type { SigningKeyRepo } from '../ports/signing-key-repo.js';
import type { SigningAlgorithm } from '../model/signing-records.js';
import { generateSigningKey } from './signing-keys.js';

/** Every algorithm Herald keeps an active key for: EdDSA signs `v1a`, RS256 signs JWTs. */
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ['EdDSA', 'RS256'];

/** Generates a key of `alg` and seals its private half, ready for the store. */
export async function newSigningKeyRecord(
  alg: SigningAlgorithm,
  secretBox: SecretBox,
  now: number,
): Promise<SigningKeyRecord> {
  const key = await generateSigningKey(alg);
  return {
    kid: key.kid,
    alg,
    sealedPrivateKey: secretBox.seal(key.privateKeyPem),
    publicJwk: key.publicJwk,
    createdAt: now,
    retiredAt: null,
    expireAt: null,
  };
}

/**
 * Makes sure there is one active EdDSA and one active RS256 key, generating the missing ones.
 * Idempotent, and safe when several processes start together: the store keeps one active key per
 * algorithm and a loser simply gets the winner's key back (its own is discarded unused).
 *
 * @returns the active keys, one per algorithm.
 * @example
 * await ensureSigningKeys({ store, secretBox, now: clock.now() });
 */
export async function ensureSigningKeys(deps: {
  store: SigningKeyRepo;
  secretBox: SecretBox;
  now: number;
}): Promise<SigningKeyRecord[]> {
  return Promise.all(
    SIGNING_ALGORITHMS.map(async (alg) => {
      const existing = await deps.store.activeSigningKey(alg);
      if (existing) return existing;
      return deps.store.insertSigningKeyIfNone(await newSigningKeyRecord(alg, deps.secretBox, deps.now));
    }),
  );
}
