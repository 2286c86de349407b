import type { AdminKeyRepo } from '../../ports/admin-key-repo.js';
import { ADMIN_KEY_COLUMNS, toAdminKey, type AdminKeyRow } from '../rows/admin-key-rows.js';
import type { PgContext } from './pg-context.js';

/** Admin keys in PostgreSQL (never the hash on the way out). */
export function pgAdminKeyRepo({ reader, tx }: PgContext): AdminKeyRepo {
  return {
    async addAdminKey(k, hash) {
      await tx((t) =>
        t.run(
          `INSERT INTO admin_keys (id, name, prefix, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (hash) DO NOTHING`,
          [k.id, k.name, k.prefix, hash, k.createdAt, k.revokedAt],
        ),
      );
    },
    async findAdminKey(hash) {
      const r = await reader.one<{ id: string }>('SELECT id FROM admin_keys WHERE hash = $1 AND revoked_at IS NULL', [
        hash,
      ]);
      return r ? { keyId: r.id } : undefined;
    },
    async listAdminKeys() {
      const rows = await reader.rows<AdminKeyRow>(
        `SELECT ${ADMIN_KEY_COLUMNS} FROM admin_keys ORDER BY created_at, id`,
      );
      return rows.map(toAdminKey);
    },
    async revokeAdminKey(id, now) {
      const n = await tx((t) =>
        t.run('UPDATE admin_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id]),
      );
      return n === 1;
    },
  };
}
