import type { ApiKeyRepo } from '../../ports/api-key-repo.js';
import { API_KEY_COLUMNS, toApiKey, type ApiKeyRow } from '../rows/api-key-rows.js';
import type { SqliteContext } from './sqlite-context.js';

/** API keys in SQLite (never the hash on the way out). */
export function sqliteApiKeyRepo({ db, commits }: SqliteContext): ApiKeyRepo {
  return {
    async addApiKey(k, hash) {
      db.prepare(
        'INSERT INTO api_keys (id, project_id, name, prefix, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(k.id, k.projectId, k.name, k.prefix, hash, k.createdAt, k.revokedAt);
    },
    async hasApiKeyHash(hash) {
      return db.prepare('SELECT 1 FROM api_keys WHERE hash = ?').get(hash) !== undefined;
    },
    async findApiKey(hash) {
      const r = db
        .prepare<[string], { id: string; project_id: string }>(
          'SELECT id, project_id FROM api_keys WHERE hash = ? AND revoked_at IS NULL',
        )
        .get(hash);
      return r ? { projectId: r.project_id, keyId: r.id } : undefined;
    },
    async listApiKeys(projectId) {
      return db
        .prepare<[string], ApiKeyRow>(
          `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE project_id = ? ORDER BY created_at, id`,
        )
        .all(projectId)
        .map(toApiKey);
    },
    async revokeApiKey(projectId, id, now) {
      return commits.tx(() => {
        db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND project_id = ? AND revoked_at IS NULL').run(
          now,
          id,
          projectId,
        );
        const r = db
          .prepare<[string, string], ApiKeyRow>(
            `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = ? AND project_id = ?`,
          )
          .get(id, projectId);
        return r ? toApiKey(r) : undefined;
      });
    },
  };
}
