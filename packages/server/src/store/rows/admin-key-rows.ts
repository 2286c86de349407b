import type { AdminKeyRecord } from '../../model/records.js';

/** An `admin_keys` row without its hash (the hash never leaves the store). */
export interface AdminKeyRow {
  id: string;
  name: string;
  prefix: string;
  created_at: number | string;
  revoked_at: number | string | null;
}

export const ADMIN_KEY_COLUMNS = 'id, name, prefix, created_at, revoked_at';

export function toAdminKey(r: AdminKeyRow): AdminKeyRecord {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  };
}
