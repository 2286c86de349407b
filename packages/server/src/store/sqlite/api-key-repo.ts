import type { ApiKeyRecord, EpochMs } from '../../model/records.js';
import type { SqliteDatabase } from './open-database.js';

interface ApiKeyRow {
  id: string;
  project_id: string;
  name: string;
  prefix: string;
  created_at: number;
  revoked_at: number | null;
}

const COLUMNS = 'id, project_id, name, prefix, created_at, revoked_at';

export function toApiKey(r: ApiKeyRow): ApiKeyRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

/** API-key queries for SQLite (never the hash); `revokeApiKeyInTx` runs inside a transaction. */
export function selectApiKeys(db: SqliteDatabase, projectId: string): ApiKeyRecord[] {
  return db
    .prepare<[string], ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE project_id = ? ORDER BY created_at, id`)
    .all(projectId)
    .map(toApiKey);
}

export function revokeApiKeyInTx(
  db: SqliteDatabase,
  projectId: string,
  id: string,
  now: EpochMs,
): ApiKeyRecord | undefined {
  db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND project_id = ? AND revoked_at IS NULL').run(
    now,
    id,
    projectId,
  );
  const r = db
    .prepare<[string, string], ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = ? AND project_id = ?`)
    .get(id, projectId);
  return r ? toApiKey(r) : undefined;
}
