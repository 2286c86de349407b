import type { EpochMs } from '../model/records.js';
import type { SigningKeyRecord } from '../model/signing-records.js';

/** The instance-wide signing keys of dynamic webhooks (v1a, JWT) and the JWKS. */
export interface SigningKeyRepo {
  /** The active (signing) key of `alg`, or undefined before the first start created one. */
  activeSigningKey(alg: SigningKeyRecord['alg']): Promise<SigningKeyRecord | undefined>;
  /** Keys in the JWKS at `now`: active keys, then retired keys with `expireAt > now`, newest first. */
  listPublishedSigningKeys(now: EpochMs): Promise<SigningKeyRecord[]>;
  /**
   * Makes `key` the active key of its algorithm unless one already is, and returns the active key
   * (`key` or the existing one). Safe when several processes start together: a unique index allows
   * one active key per algorithm and the loser reads the winner's key.
   */
  insertSigningKeyIfNone(key: SigningKeyRecord): Promise<SigningKeyRecord>;
  /**
   * In one transaction: retires the active key of `key.alg` (`retiredAt = key.createdAt`,
   * `expireAt = publishUntil`) and makes `key` active. Returns the retired key, if there was one.
   */
  rotateSigningKey(key: SigningKeyRecord, publishUntil: EpochMs): Promise<SigningKeyRecord | undefined>;
}
