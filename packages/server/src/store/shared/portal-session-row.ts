import type { PortalSessionRecord } from '../../ports/portal-session-repo.js';

/** A `portal_sessions` row (PostgreSQL returns bigint columns as strings). */
export interface PortalSessionRow {
  hash: string;
  project_id: string;
  created_at: number | string;
  expire_at: number | string;
}

/** The SQL both dialects run; `$n` placeholders, rewritten to `?` for SQLite. */
export const PORTAL_SESSION_SQL = {
  purge: 'DELETE FROM portal_sessions WHERE expire_at <= $1',
  insert: 'INSERT INTO portal_sessions (hash, project_id, created_at, expire_at) VALUES ($1, $2, $3, $4)',
  get: 'SELECT hash, project_id, created_at, expire_at FROM portal_sessions WHERE hash = $1 AND expire_at > $2',
  extend: 'UPDATE portal_sessions SET expire_at = $1 WHERE hash = $2',
} as const;

/** `$1, $2, …` → `?` (the statements above use each placeholder once, in order). */
export const toSqlitePlaceholders = (sql: string) => sql.replace(/\$\d+/g, '?');

export function portalSessionFromRow(row: PortalSessionRow | undefined): PortalSessionRecord | undefined {
  if (!row) return undefined;
  return {
    hash: row.hash,
    projectId: row.project_id,
    createdAt: Number(row.created_at),
    expireAt: Number(row.expire_at),
  };
}
