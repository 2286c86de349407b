import type { ApiKeyRecord, EpochMs } from '../../model/records.js';
import type { Tx } from './pg-database.js';

interface ApiKeyRow {
  id: string;
  project_id: string;
  name: string;
  prefix: string;
  created_at: number;
  revoked_at: number | null;
}

const COLUMNS = 'id, project_id, name, prefix, created_at, revoked_at';

/** int8 columns arrive as numbers (see `pgTypes`). */
function toApiKey(r: ApiKeyRow): ApiKeyRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

/** API-key queries for PostgreSQL (never the hash); `revokeApiKeyInTx` runs inside the store's transaction. */
export async function selectApiKeys(tx: Pick<Tx, 'rows'>, projectId: string): Promise<ApiKeyRecord[]> {
  const rows = await tx.rows<ApiKeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE project_id = $1 ORDER BY created_at, id`,
    [projectId],
  );
  return rows.map(toApiKey);
}

export async function revokeApiKeyInTx(
  tx: Tx,
  projectId: string,
  id: string,
  now: EpochMs,
): Promise<ApiKeyRecord | undefined> {
  const r = await tx.one<ApiKeyRow>(
    `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND project_id = $3 RETURNING ${COLUMNS}`,
    [now, id, projectId],
  );
  return r ? toApiKey(r) : undefined;
}

/** Adds a key; processes starting together with the same HERALD_API_KEY both try: one wins. */
export async function insertApiKey(tx: Pick<Tx, 'run'>, k: ApiKeyRecord, hash: string): Promise<void> {
  await tx.run(
    `INSERT INTO api_keys (id, project_id, name, prefix, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (hash) DO NOTHING`,
    [k.id, k.projectId, k.name, k.prefix, hash, k.createdAt, k.revokedAt],
  );
}

export async function selectApiKeyByHash(
  db: Pick<Tx, 'one'>,
  hash: string,
  { activeOnly }: { activeOnly: boolean },
): Promise<{ projectId: string; keyId: string } | undefined> {
  const r = await db.one<{ id: string; project_id: string }>(
    `SELECT id, project_id FROM api_keys WHERE hash = $1${activeOnly ? ' AND revoked_at IS NULL' : ''}`,
    [hash],
  );
  return r ? { projectId: r.project_id, keyId: r.id } : undefined;
}
