import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Dynamic-webhook signing keys (one active key per algorithm, retired keys published until every
 * signature they made has expired) and the per-project dynamic signing mode (`v1a` | `jwt`).
 * Never edit a released migration; add the next one.
 */
export const migration0003: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('alg', 'text', (c) => c.notNull())
      // PKCS#8 PEM sealed with the master key (SecretBox), never stored in clear.
      .addColumn('sealed_private_key', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('retired_at', 'bigint')
      // When a retired key leaves the JWKS; null while active.
      .addColumn('expire_at', 'bigint')
      .execute();
    // At most one active key per algorithm: two processes bootstrapping (or rotating) at the same
    // time cannot both insert one; the loser's insert conflicts and it reads the winner's key.
    await db.schema
      .createIndex('signing_keys_one_active')
      .on('signing_keys')
      .columns(['alg'])
      .unique()
      .where(sql.ref('retired_at'), 'is', null)
      .execute();

    await db.schema
      .alterTable('projects')
      .addColumn('dynamic_signing', 'text', (c) => c.notNull().defaultTo('v1a'))
      .execute();
  },
};
