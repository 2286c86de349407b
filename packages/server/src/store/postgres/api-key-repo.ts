import type { ApiKeyRepo } from '../../ports/api-key-repo.js';
import { API_KEY_COLUMNS, toApiKey, type ApiKeyRow } from '../rows/api-key-rows.js';
import type { PgContext } from './pg-context.js';

/** API keys in PostgreSQL (never the hash on the way out). */
export function pgApiKeyRepo({ reader, tx }: PgContext): ApiKeyRepo {
  const byHash = async (hash: string, activeOnly: boolean) => {
    const r = await reader.one<{ id: string; project_id: string }>(
      `SELECT id, project_id FROM api_keys WHERE hash = $1${activeOnly ? ' AND revoked_at IS NULL' : ''}`,
      [hash],
    );
    return r ? { projectId: r.project_id, keyId: r.id } : undefined;
  };
  return {
    /** Adds a key; processes starting together with the same HERALD_API_KEY both try: one wins. */
    async addApiKey(k, hash) {
      await tx((t) =>
        t.run(
          `INSERT INTO api_keys (id, project_id, name, prefix, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (hash) DO NOTHING`,
          [k.id, k.projectId, k.name, k.prefix, hash, k.createdAt, k.revokedAt],
        ),
      );
    },
    async hasApiKeyHash(hash) {
      return (await byHash(hash, false)) !== undefined;
    },
    async findApiKey(hash) {
      return byHash(hash, true);
    },
    async listApiKeys(projectId) {
      const rows = await reader.rows<ApiKeyRow>(
        `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE project_id = $1 ORDER BY created_at, id`,
        [projectId],
      );
      return rows.map(toApiKey);
    },
    async revokeApiKey(projectId, id, now) {
      const r = await tx((t) =>
        t.one<ApiKeyRow>(
          `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND project_id = $3 RETURNING ${API_KEY_COLUMNS}`,
          [now, id, projectId],
        ),
      );
      return r ? toApiKey(r) : undefined;
    },
  };
}
