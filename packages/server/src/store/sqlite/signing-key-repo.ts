import type { SigningKeyRecord } from '../../model/signing-records.js';
import type { SigningKeyRepo } from '../../ports/signing-key-repo.js';
import { signingKeyInsertParams, toSigningKey, type SigningKeyRow } from '../rows/rows.js';
import type { SqliteDatabase } from './open-database.js';
import type { SqliteContext } from './sqlite-context.js';

function activeKey(db: SqliteDatabase, alg: SigningKeyRecord['alg']): SigningKeyRecord | undefined {
  const r = db
    .prepare<[string], SigningKeyRow>('SELECT * FROM signing_keys WHERE alg = ? AND retired_at IS NULL')
    .get(alg);
  return r ? toSigningKey(r) : undefined;
}

function insertKey(db: SqliteDatabase, k: SigningKeyRecord): void {
  db.prepare(
    `INSERT INTO signing_keys (kid, alg, sealed_private_key, public_jwk, created_at, retired_at, expire_at)
     VALUES (?, ?, ?, ?, ?, NULL, NULL)`,
  ).run(...signingKeyInsertParams(k));
}

/** The instance's signing keys in SQLite; writers run in one transaction. */
export function sqliteSigningKeyRepo({ db, commits }: SqliteContext): SigningKeyRepo {
  return {
    async activeSigningKey(alg) {
      return activeKey(db, alg);
    },
    async listPublishedSigningKeys(now) {
      return db
        .prepare<[number], SigningKeyRow>(
          `SELECT * FROM signing_keys WHERE retired_at IS NULL OR expire_at > ?
           ORDER BY retired_at IS NOT NULL, alg, created_at DESC, kid`,
        )
        .all(now)
        .map(toSigningKey);
    },
    async insertSigningKeyIfNone(k) {
      return commits.tx(() => {
        const existing = activeKey(db, k.alg);
        if (existing) return existing;
        insertKey(db, k);
        return { ...k, retiredAt: null, expireAt: null };
      });
    },
    async rotateSigningKey(k, publishUntil) {
      return commits.tx(() => {
        const previous = activeKey(db, k.alg);
        if (previous) {
          db.prepare('UPDATE signing_keys SET retired_at = ?, expire_at = ? WHERE kid = ?').run(
            k.createdAt,
            publishUntil,
            previous.kid,
          );
        }
        insertKey(db, k);
        return previous ? { ...previous, retiredAt: k.createdAt, expireAt: publishUntil } : undefined;
      });
    },
  };
}
