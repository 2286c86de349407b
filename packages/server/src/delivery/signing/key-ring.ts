import type { KeyObject } from 'node:crypto';
import type { SecretBox } from '../../keys/secret-box.js';
import type { SigningKeyRepo } from '../../ports/signing-key-repo.js';
import { SigningError } from './signing-error.js';
import { importPrivateKey } from '../../keys/signing-keys.js';
import type { SigningAlgorithm } from '../../model/signing-records.js';

/** The key that signs right now for one algorithm. */
export interface ActiveSigningKey {
  kid: string;
  privateKey: KeyObject;
}

/** Looks up the active signing key of an algorithm, decrypting and importing each key once. */
export interface KeyRing {
  /** @throws SigningError when there is no active key (the store was never bootstrapped). */
  active(alg: SigningAlgorithm): Promise<ActiveSigningKey>;
}

const MAX_CACHED = 64;

/**
 * Creates a key ring over the store. The active key is read on every call, so a rotation applies
 * to the very next attempt (in every process sharing the store) and a retired key never signs
 * again; only the expensive part (open the sealed PEM, import it) is cached, by `kid`.
 *
 * @example
 * const ring = createKeyRing({ store, secretBox });
 * const { kid, privateKey } = await ring.active('EdDSA');
 */
export function createKeyRing(deps: { store: SigningKeyRepo; secretBox: SecretBox }): KeyRing {
  const imported = new Map<string, KeyObject>();
  return {
    async active(alg) {
      const record = await deps.store.activeSigningKey(alg);
      if (!record) throw new SigningError(`no active ${alg} signing key; restart Herald to create one`);
      let privateKey = imported.get(record.kid);
      if (privateKey === undefined) {
        try {
          privateKey = importPrivateKey(deps.secretBox.open(record.sealedPrivateKey));
        } catch (cause) {
          throw new SigningError(`cannot open ${alg} signing key ${record.kid}: ${(cause as Error).message}`, {
            cause,
          });
        }
        if (imported.size >= MAX_CACHED) imported.clear();
        imported.set(record.kid, privateKey);
      }
      return { kid: record.kid, privateKey };
    },
  };
}
