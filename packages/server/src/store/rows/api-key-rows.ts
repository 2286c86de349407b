import type { ApiKeyRecord } from '../../model/records.js';

/** An `api_keys` row without its hash (the hash never leaves the store). */
export interface ApiKeyRow {
  id: string;
  project_id: string;
  name: string;
  prefix: string;
  created_at: number;
  revoked_at: number | null;
}

export const API_KEY_COLUMNS = 'id, project_id, name, prefix, created_at, revoked_at';

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
