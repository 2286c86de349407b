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
import type { SqliteContext } from './sqlite-context.js';

const q = () => '?';

/** The dashboard's and `/metrics`' read-only views in SQLite. */
export function sqliteReadModels({ db, commits }: SqliteContext): ReadModels {
  return {
    /** One project's delivery counts, backlog and attempt percentiles, read in one transaction. */
    async deliveryOverview(projectId, q) {
      return commits.tx(() =>
        deliveryOverviewOf({
          byStatus: db
            .prepare<[string, number], OverviewRows['byStatus'][number]>(
              'SELECT status, count(*) AS n FROM deliveries WHERE project_id = ? AND created_at >= ? GROUP BY status',
            )
            .all(projectId, q.since),
          backlog: db
            .prepare<[string], OverviewRows['backlog'][number]>(
              `SELECT status, count(*) AS n, min(created_at) AS oldest FROM deliveries
               WHERE project_id = ? AND status IN ('pending', 'in_flight') GROUP BY status`,
            )
            .all(projectId),
          totals: db
            .prepare<[string, number], NonNullable<OverviewRows['totals']>>(
              `SELECT count(*) AS n, sum(CASE WHEN a.status_code BETWEEN 200 AND 299 THEN 1 ELSE 0 END) AS ok
               FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
               WHERE d.project_id = ? AND a.started_at >= ?`,
            )
            .get(projectId, q.since),
          sample: db
            .prepare<[string, number, number], OverviewRows['sample'][number]>(
              `SELECT a.duration_ms, a.number, a.status_code, a.started_at, d.created_at
               FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
               WHERE d.project_id = ? AND a.started_at >= ?
               ORDER BY a.started_at DESC LIMIT ?`,
            )
            .all(projectId, q.since, q.maxSample),
        }),
      );
    },

    /** The project's events, newest first, optionally of some types or one operation, before a sequence. */
    async listRecentEvents(projectId, q) {
      const types = q.types && q.types.length > 0 ? q.types : undefined;
      const where = ['project_id = ?'];
      const params: unknown[] = [projectId];
      if (q.beforeSequence !== undefined) {
        where.push('sequence < ?');
        params.push(q.beforeSequence);
      }
      if (q.operation !== undefined) {
        where.push('operation = ?');
        params.push(q.operation);
      }
      if (types) {
        where.push(`type IN (${types.map(() => '?').join(', ')})`);
        params.push(...types);
      }
      params.push(q.pageSize);
      const sql = `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY sequence DESC LIMIT ?`;
      return db
        .prepare<unknown[], EventRow>(sql)
        .all(...params)
        .map(toEvent);
    },

    /** Whole-store backlog gauges for /metrics. */
    async deliveryStats() {
      const counts = db
        .prepare<[], { status: string; n: number; oldest: number | null }>(
          `SELECT status, count(*) AS n, min(created_at) AS oldest FROM deliveries
           WHERE status IN ('pending', 'in_flight') GROUP BY status`,
        )
        .all();
      const disabled = db
        .prepare<[], { n: number }>(
          "SELECT count(*) AS n FROM webhooks WHERE state = 'disabled_due_to_failed_deliveries'",
        )
        .get();
      return { ...backlogOf(counts), disabledWebhooks: disabled?.n ?? 0 };
    },

    async projectSummaries(projectIds, since) {
      if (projectIds.length === 0) return [];
      const { sql, params } = projectSummariesQuery(projectIds, since, q);
      return projectSummariesOf(projectIds, db.prepare<unknown[], SummaryRow>(sql).all(...params));
    },

    async deliveryActivity(query) {
      return commits.tx(() => {
        const b = activityBucketsQuery(query, q);
        const s = activitySampleQuery(query, q);
        return deliveryActivityOf(
          db.prepare<unknown[], { bucket: number; attempts: number; succeeded: number }>(b.sql).all(...b.params),
          db.prepare<unknown[], { started_at: number; duration_ms: number }>(s.sql).all(...s.params),
        );
      });
    },
  };
}
