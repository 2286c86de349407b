import type { SigningAlgorithm } from '../../keys/signing-keys.js';
import type { EpochMs } from '../../model/records.js';
import type { SigningKeyRecord } from '../../model/signing-records.js';
import type { SqliteDatabase } from './open-database.js';
import { toSigningKey, type SigningKeyRow } from '../rows/rows.js';

/** Signing-key queries for SQLite; the writers are called inside a transaction by the store. */
export function selectActiveSigningKey(db: SqliteDatabase, alg: SigningAlgorithm): SigningKeyRecord | undefined {
  const r = db
    .prepare<[string], SigningKeyRow>('SELECT * FROM signing_keys WHERE alg = ? AND retired_at IS NULL')
    .get(alg);
  return r ? toSigningKey(r) : undefined;
}

export function selectPublishedSigningKeys(db: SqliteDatabase, now: EpochMs): SigningKeyRecord[] {
  return db
    .prepare<[number], SigningKeyRow>(
      `SELECT * FROM signing_keys WHERE retired_at IS NULL OR expire_at > ?
       ORDER BY retired_at IS NOT NULL, alg, created_at DESC, kid`,
    )
    .all(now)
    .map(toSigningKey);
}

function insertKey(db: SqliteDatabase, k: SigningKeyRecord): void {
  db.prepare(
    `INSERT INTO signing_keys (kid, alg, sealed_private_key, public_jwk, created_at, retired_at, expire_at)
     VALUES (?, ?, ?, ?, ?, NULL, NULL)`,
  ).run(k.kid, k.alg, k.sealedPrivateKey, JSON.stringify(k.publicJwk), k.createdAt);
}

export function insertSigningKeyIfNone(db: SqliteDatabase, k: SigningKeyRecord): SigningKeyRecord {
  const existing = selectActiveSigningKey(db, k.alg);
  if (existing) return existing;
  insertKey(db, k);
  return { ...k, retiredAt: null, expireAt: null };
}

export function rotateSigningKeyInTx(
  db: SqliteDatabase,
  k: SigningKeyRecord,
  publishUntil: EpochMs,
): SigningKeyRecord | undefined {
  const previous = selectActiveSigningKey(db, k.alg);
  if (previous) {
    db.prepare('UPDATE signing_keys SET retired_at = ?, expire_at = ? WHERE kid = ?').run(
      k.createdAt,
      publishUntil,
      previous.kid,
    );
  }
  insertKey(db, k);
  return previous ? { ...previous, retiredAt: k.createdAt, expireAt: publishUntil } : undefined;
}
