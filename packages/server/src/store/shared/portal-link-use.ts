import type { PortalLinkUse } from '../../ports/portal-link-repo.js';

/** A `portal_links` row as the use query sees it. */
export interface PortalLinkRow {
  project_id: string;
  expire_at: number | string;
  used_at: number | string | null;
}

/**
 * The outcome of presenting a link: `ok` when this call marked it used (`marked`), otherwise why
 * not, from the row as it is now.
 */
export function portalLinkUse(row: PortalLinkRow | undefined, marked: boolean, now: number): PortalLinkUse {
  if (!row) return { kind: 'unknown' };
  if (marked) return { kind: 'ok', projectId: row.project_id };
  if (row.used_at !== null) return { kind: 'used', projectId: row.project_id };
  if (Number(row.expire_at) <= now) return { kind: 'expired', projectId: row.project_id };
  return { kind: 'used', projectId: row.project_id };
}
