import type { AdminKeyRepo } from '../../ports/admin-key-repo.js';
import { ADMIN_KEY_COLUMNS, toAdminKey, type AdminKeyRow } from '../rows/admin-key-rows.js';
import type { SqliteContext } from './sqlite-context.js';

/** Admin keys in SQLite (never the hash on the way out). */
export function sqliteAdminKeyRepo({ db, commits }: SqliteContext): AdminKeyRepo {
  return {
    async addAdminKey(k, hash) {
      commits.tx(() =>
        db
          .prepare(
            'INSERT OR IGNORE INTO admin_keys (id, name, prefix, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(k.id, k.name, k.prefix, hash, k.createdAt, k.revokedAt),
      );
    },
    async findAdminKey(hash) {
      const r = db
        .prepare<[string], { id: string }>('SELECT id FROM admin_keys WHERE hash = ? AND revoked_at IS NULL')
        .get(hash);
      return r ? { keyId: r.id } : undefined;
    },
    async listAdminKeys() {
      return db
        .prepare<[], AdminKeyRow>(`SELECT ${ADMIN_KEY_COLUMNS} FROM admin_keys ORDER BY created_at, id`)
        .all()
        .map(toAdminKey);
    },
    async revokeAdminKey(id, now) {
      return commits.tx(
        () =>
          db.prepare('UPDATE admin_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id)
            .changes === 1,
      );
    },
  };
}
