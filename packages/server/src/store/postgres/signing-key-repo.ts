import type { SigningKeyRecord } from '../../model/signing-records.js';
import type { SigningKeyRepo } from '../../ports/signing-key-repo.js';
import { signingKeyInsertParams, toSigningKey, type SigningKeyRow } from '../rows/rows.js';
import type { PgContext } from './pg-context.js';
import type { Tx } from './pg-database.js';

async function activeKey(
  db: Pick<Tx, 'one'>,
  alg: SigningKeyRecord['alg'],
  lock = false,
): Promise<SigningKeyRecord | undefined> {
  const r = await db.one<SigningKeyRow>(
    `SELECT * FROM signing_keys WHERE alg = $1 AND retired_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
    [alg],
  );
  return r ? toSigningKey(r) : undefined;
}

const INSERT_ACTIVE = `INSERT INTO signing_keys (kid, alg, sealed_private_key, public_jwk, created_at, retired_at, expire_at)
  VALUES ($1, $2, $3, $4, $5, NULL, NULL)`;

/** The instance's signing keys in PostgreSQL; writers run in one transaction. */
export function pgSigningKeyRepo({ reader, tx }: PgContext): SigningKeyRepo {
  return {
    async activeSigningKey(alg) {
      return activeKey(reader, alg);
    },
    async listPublishedSigningKeys(now) {
      const rows = await reader.rows<SigningKeyRow>(
        `SELECT * FROM signing_keys WHERE retired_at IS NULL OR expire_at > $1
         ORDER BY retired_at IS NOT NULL, alg, created_at DESC, kid`,
        [now],
      );
      return rows.map(toSigningKey);
    },
    /**
     * The partial unique index (one active key per algorithm) settles a race between processes:
     * the loser inserts nothing and reads the winner's key.
     */
    async insertSigningKeyIfNone(k) {
      return tx(async (t) => {
        const inserted = await t.run(`${INSERT_ACTIVE} ON CONFLICT DO NOTHING`, signingKeyInsertParams(k));
        if (inserted > 0) return { ...k, retiredAt: null, expireAt: null };
        return (await activeKey(t, k.alg))!;
      });
    },
    async rotateSigningKey(k, publishUntil) {
      return tx(async (t) => {
        const previous = await activeKey(t, k.alg, true);
        if (previous) {
          await t.run('UPDATE signing_keys SET retired_at = $1, expire_at = $2 WHERE kid = $3', [
            k.createdAt,
            publishUntil,
            previous.kid,
          ]);
        }
        await t.run(INSERT_ACTIVE, signingKeyInsertParams(k));
        return previous ? { ...previous, retiredAt: k.createdAt, expireAt: publishUntil } : undefined;
      });
    },
  };
}
