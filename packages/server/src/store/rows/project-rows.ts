import type { ProjectPatch } from '../../model/project-records.js';
import type { ProjectBranding, ProjectLimits, ProjectRecord } from '../../model/records.js';

/** The columns of a `projects` row that make a {@link ProjectRecord}. */
export interface ProjectRow {
  id: string;
  name: string;
  created_at: number | string;
  logo_uri: string | null;
  accent_color: string | null;
  events_per_second: number | null;
  max_webhooks: number | null;
}

export const PROJECT_COLUMNS = 'id, name, created_at, logo_uri, accent_color, events_per_second, max_webhooks';

/** A `projects` row → {@link ProjectRecord} (optional parts only when set). */
export function toProjectRecord(r: ProjectRow): ProjectRecord {
  const branding: ProjectBranding = {
    ...(r.logo_uri !== null ? { logoUri: r.logo_uri } : {}),
    ...(r.accent_color !== null ? { accentColor: r.accent_color } : {}),
  };
  const limits: ProjectLimits = {
    ...(r.events_per_second !== null ? { eventsPerSecond: r.events_per_second } : {}),
    ...(r.max_webhooks !== null ? { maxWebhooks: r.max_webhooks } : {}),
  };
  return {
    id: r.id,
    name: r.name,
    createdAt: Number(r.created_at),
    ...(Object.keys(branding).length > 0 ? { branding } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  };
}

/** The column assignments of a {@link ProjectPatch} (column → value), dialect-neutral. */
export function projectPatchColumns(patch: ProjectPatch): [string, string | number | null][] {
  const out: [string, string | number | null][] = [];
  if (patch.name !== undefined) out.push(['name', patch.name]);
  if (patch.branding?.logoUri !== undefined) out.push(['logo_uri', patch.branding.logoUri]);
  if (patch.branding?.accentColor !== undefined) out.push(['accent_color', patch.branding.accentColor]);
  if (patch.limits?.eventsPerSecond !== undefined) out.push(['events_per_second', patch.limits.eventsPerSecond]);
  if (patch.limits?.maxWebhooks !== undefined) out.push(['max_webhooks', patch.limits.maxWebhooks]);
  return out;
}
