import { ConfigError } from '../kernel/config-error.js';
import type { SecretBox } from './secret-box.js';
import type { SigningKeyRecord } from '../model/signing-records.js';

/**
 * Refuses to start with a master key that cannot open what the database already holds sealed.
 * Every process sharing a database must use the same `HERALD_MASTER_KEY`; with another one a
 * process would start, then fail every attempt it signs. The active signing keys are the probe:
 * there is always one per algorithm after `ensureSigningKeys` (sealed by whichever process created
 * them), so nothing extra is stored. `source` says where the key came from, for the message.
 *
 * @throws ConfigError naming the key's source and what to fix.
 * @example
 * checkMasterKey(await ensureSigningKeys({ store, secretBox, now }), secretBox, { file: undefined });
 */
export function checkMasterKey(
  activeKeys: readonly SigningKeyRecord[],
  secretBox: SecretBox,
  source: { file: string | undefined },
): void {
  for (const key of activeKeys) {
    try {
      secretBox.open(key.sealedPrivateKey);
    } catch (cause) {
      const which =
        source.file === undefined
          ? 'HERALD_MASTER_KEY differs from the one this database was sealed with'
          : `The master key in ${source.file} (used because HERALD_MASTER_KEY is unset) differs from the one this database was sealed with`;
      throw new ConfigError(
        `${which}: it cannot open the ${key.alg} signing key ${key.kid}. ` +
          'Use the same key on every process: set HERALD_MASTER_KEY to the key the other processes use ' +
          '(or the one this database was created with).',
        { cause },
      );
    }
  }
}
