import type { ActivityQuery, DeliveryActivity, ProjectSummary } from '../../model/operator-records.js';

/** A dialect's n-th (1-based) bind parameter: `?` or `$n`. */
export type Placeholder = (n: number) => string;

interface Sql {
  sql: string;
  params: (string | number)[];
}

function binder(placeholder: Placeholder) {
  const params: (string | number)[] = [];
  const bind = (v: string | number) => {
    params.push(v);
    return placeholder(params.length);
  };
  return { params, bind };
}

const OK = 'count(CASE WHEN a.status_code BETWEEN 200 AND 299 THEN 1 END)';

/** One row per (kind, project): `w` webhooks, `b` backlog, `a` attempts (`ok`: of them 2xx). */
export interface SummaryRow {
  kind: 'w' | 'b' | 'a';
  project_id: string;
  n: number;
  ok: number;
}

/**
 * The one grouped query behind `projectSummaries`: webhooks, unsettled deliveries and attempts
 * since `since` of the listed projects, each grouped by project (three index-driven aggregates
 * over `project_id IN (…)`, glued with UNION ALL), whatever the number of projects on the page.
 */
export function projectSummariesQuery(projectIds: readonly string[], since: number, placeholder: Placeholder): Sql {
  const { params, bind } = binder(placeholder);
  const ids = () => projectIds.map((id) => bind(id)).join(', ');
  const sql = `SELECT 'w' AS kind, project_id, count(*) AS n, 0 AS ok FROM webhooks
      WHERE project_id IN (${ids()}) GROUP BY project_id
    UNION ALL
    SELECT 'b' AS kind, project_id, count(*) AS n, 0 AS ok FROM deliveries
      WHERE project_id IN (${ids()}) AND status IN ('pending', 'in_flight') GROUP BY project_id
    UNION ALL
    SELECT 'a' AS kind, d.project_id, count(*) AS n, ${OK} AS ok
      FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
      WHERE d.project_id IN (${ids()}) AND a.started_at >= ${bind(since)} GROUP BY d.project_id`;
  return { sql, params };
}

/** The summaries of `projectIds`, in their order, from the grouped rows (zeros where none). */
export function projectSummariesOf(projectIds: readonly string[], rows: readonly SummaryRow[]): ProjectSummary[] {
  const by = new Map(
    projectIds.map((id) => [id, { projectId: id, webhooks: 0, backlog: 0, attempts: 0, succeeded: 0 }]),
  );
  for (const r of rows) {
    const s = by.get(r.project_id);
    if (!s) continue;
    if (r.kind === 'w') s.webhooks = r.n;
    else if (r.kind === 'b') s.backlog = r.n;
    else {
      s.attempts = r.n;
      s.succeeded = r.ok;
    }
  }
  return [...by.values()];
}

/** Attempts of the window, per bucket, of one project or all. */
export function activityBucketsQuery(q: ActivityQuery, placeholder: Placeholder): Sql {
  const { params, bind } = binder(placeholder);
  // Bound in the order the parameters appear: SQLite's `?` are positional.
  const bucket = `CAST((a.started_at - ${bind(q.since)}) / ${bind(q.bucketMs)} AS INTEGER)`;
  const from = `a.started_at >= ${bind(q.since)}`;
  const scope = q.projectId === undefined ? '' : ` AND d.project_id = ${bind(q.projectId)}`;
  const sql = `SELECT ${bucket} AS bucket, count(*) AS attempts, ${OK} AS succeeded
    FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
    WHERE ${from}${scope} GROUP BY 1 ORDER BY 1`;
  return { sql, params };
}

/** The latest attempts of the window (at most `q.maxSample`), for latency percentiles. */
export function activitySampleQuery(q: ActivityQuery, placeholder: Placeholder): Sql {
  const { params, bind } = binder(placeholder);
  const from = `a.started_at >= ${bind(q.since)}`;
  const scope = q.projectId === undefined ? '' : ` AND d.project_id = ${bind(q.projectId)}`;
  const sql = `SELECT a.started_at, a.duration_ms FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
    WHERE ${from}${scope} ORDER BY a.started_at DESC LIMIT ${bind(q.maxSample)}`;
  return { sql, params };
}

/** The activity from its two row sets (both dialects hand back numbers: PostgreSQL's int8 is parsed). */
export function deliveryActivityOf(
  buckets: readonly { bucket: number; attempts: number; succeeded: number }[],
  sample: readonly { started_at: number; duration_ms: number }[],
): DeliveryActivity {
  return {
    buckets: buckets.map((b) => ({ bucket: b.bucket, attempts: b.attempts, succeeded: b.succeeded })),
    sample: sample.map((s) => ({ startedAt: s.started_at, durationMs: s.duration_ms })),
  };
}
