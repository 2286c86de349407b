import type { ReadModels } from '../../ports/read-models.js';
import { toEvent, type EventRow } from '../rows/rows.js';
import { backlogOf, deliveryOverviewOf, type OverviewRows } from '../shared/delivery-overview.js';
import {
  activityBucketsQuery,
  activitySampleQuery,
  deliveryActivityOf,
  projectSummariesOf,
  projectSummariesQuery,
  type SummaryRow,
} from '../shared/operator-reads.js';
import type { PgContext } from './pg-context.js';

const dollar = (n: number) => `$${n}`;

/** The dashboard's and `/metrics`' read-only views in PostgreSQL. */
export function pgReadModels({ reader, tx }: PgContext): ReadModels {
  return {
    /** One project's delivery counts, backlog and attempt percentiles. */
    async deliveryOverview(projectId, q) {
      // REPEATABLE READ would give one snapshot; the overview tolerates a few ms of skew.
      return tx(async (t) =>
        deliveryOverviewOf({
          byStatus: await t.rows<OverviewRows['byStatus'][number]>(
            'SELECT status, count(*) AS n FROM deliveries WHERE project_id = $1 AND created_at >= $2 GROUP BY status',
            [projectId, q.since],
          ),
          backlog: await t.rows<OverviewRows['backlog'][number]>(
            `SELECT status, count(*) AS n, min(created_at) AS oldest FROM deliveries
             WHERE project_id = $1 AND status IN ('pending', 'in_flight') GROUP BY status`,
            [projectId],
          ),
          totals: await t.one<NonNullable<OverviewRows['totals']>>(
            `SELECT count(*) AS n, count(*) FILTER (WHERE a.status_code BETWEEN 200 AND 299) AS ok
             FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
             WHERE d.project_id = $1 AND a.started_at >= $2`,
            [projectId, q.since],
          ),
          sample: await t.rows<OverviewRows['sample'][number]>(
            `SELECT a.duration_ms, a.number, a.status_code, a.started_at, d.created_at
             FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
             WHERE d.project_id = $1 AND a.started_at >= $2
             ORDER BY a.started_at DESC LIMIT $3`,
            [projectId, q.since, q.maxSample],
          ),
        }),
      );
    },

    /** The project's events, newest first, optionally of some types or one operation, before a sequence. */
    async listRecentEvents(projectId, q) {
      const where = ['project_id = $1'];
      const args: unknown[] = [projectId];
      const add = (clause: string, value: unknown) => {
        args.push(value);
        where.push(clause.replace('?', `$${args.length}`));
      };
      if (q.beforeSequence !== undefined) add('sequence < ?', q.beforeSequence);
      if (q.operation !== undefined) add('operation = ?', q.operation);
      if (q.types && q.types.length > 0) add('type = ANY(?::text[])', q.types);
      args.push(q.pageSize);
      const rows = await reader.rows<EventRow>(
        `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY sequence DESC LIMIT $${args.length}`,
        args,
      );
      return rows.map(toEvent);
    },

    /** The backlog gauges of `/metrics`, across every project. */
    async deliveryStats() {
      const counts = await reader.rows<{ status: string; n: number; oldest: number | null }>(
        `SELECT status, count(*) AS n, min(created_at) AS oldest FROM deliveries
         WHERE status IN ('pending', 'in_flight') GROUP BY status`,
      );
      const disabled = await reader.one<{ n: number }>(
        "SELECT count(*) AS n FROM webhooks WHERE state = 'disabled_due_to_failed_deliveries'",
      );
      return { ...backlogOf(counts), disabledWebhooks: disabled?.n ?? 0 };
    },

    async projectSummaries(projectIds, since) {
      if (projectIds.length === 0) return [];
      const { sql, params } = projectSummariesQuery(projectIds, since, dollar);
      return projectSummariesOf(projectIds, await reader.rows<SummaryRow>(sql, params));
    },

    async deliveryActivity(query) {
      const b = activityBucketsQuery(query, dollar);
      const s = activitySampleQuery(query, dollar);
      return tx(async (t) =>
        deliveryActivityOf(
          await t.rows<{ bucket: number; attempts: number; succeeded: number }>(b.sql, b.params),
          await t.rows<{ started_at: number; duration_ms: number }>(s.sql, s.params),
        ),
      );
    },
  };
}
