import { DELIVERY_STATUSES, type DeliveryStatus } from '@herald/contracts';
import {
  percentilesOf,
  type DeliveryOverview,
  type DeliveryOverviewQuery,
  type RecentEventsQuery,
} from '../../model/overview-records.js';
import type { EventRecord } from '../../model/records.js';
import type { SqliteDatabase } from './open-database.js';
import { toEvent, type EventRow } from '../rows/rows.js';

/** One project's delivery counts, backlog and attempt percentiles (read-only; run in one transaction). */
export function selectDeliveryOverview(
  db: SqliteDatabase,
  projectId: string,
  q: DeliveryOverviewQuery,
): DeliveryOverview {
  const deliveries = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  const byStatus = db
    .prepare<[string, number], { status: string; n: number }>(
      'SELECT status, count(*) AS n FROM deliveries WHERE project_id = ? AND created_at >= ? GROUP BY status',
    )
    .all(projectId, q.since);
  for (const r of byStatus) if (r.status in deliveries) deliveries[r.status as DeliveryStatus] = r.n;

  const backlogRows = db
    .prepare<[string], { status: string; n: number; oldest: number | null }>(
      `SELECT status, count(*) AS n, min(created_at) AS oldest FROM deliveries
       WHERE project_id = ? AND status IN ('pending', 'in_flight') GROUP BY status`,
    )
    .all(projectId);
  const oldest = backlogRows.map((r) => r.oldest).filter((o): o is number => o !== null);

  const totals = db
    .prepare<[string, number], { n: number; ok: number | null }>(
      `SELECT count(*) AS n, sum(CASE WHEN a.status_code BETWEEN 200 AND 299 THEN 1 ELSE 0 END) AS ok
       FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
       WHERE d.project_id = ? AND a.started_at >= ?`,
    )
    .get(projectId, q.since);
  const sample = db
    .prepare<
      [string, number, number],
      { duration_ms: number; number: number; status_code: number | null; started_at: number; created_at: number }
    >(
      `SELECT a.duration_ms, a.number, a.status_code, a.started_at, d.created_at
       FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
       WHERE d.project_id = ? AND a.started_at >= ?
       ORDER BY a.started_at DESC LIMIT ?`,
    )
    .all(projectId, q.since, q.maxSample);
  const durations = sample.map((s) => s.duration_ms).sort((a, b) => a - b);
  const latencies = sample
    .filter((s) => s.number === 1 && s.status_code !== null && s.status_code >= 200 && s.status_code < 300)
    .map((s) => Math.max(0, s.started_at + s.duration_ms - s.created_at))
    .sort((a, b) => a - b);

  return {
    deliveries,
    backlog: {
      pending: backlogRows.find((r) => r.status === 'pending')?.n ?? 0,
      inFlight: backlogRows.find((r) => r.status === 'in_flight')?.n ?? 0,
      oldestPendingCreatedAt: oldest.length > 0 ? Math.min(...oldest) : null,
    },
    attempts: {
      count: totals?.n ?? 0,
      succeeded: totals?.ok ?? 0,
      sampled: sample.length,
      durationMs: percentilesOf(durations),
      notificationLatencyMs: percentilesOf(latencies),
    },
  };
}

/** The project's events, newest first, optionally of some types and before a sequence. */
export function selectRecentEvents(db: SqliteDatabase, projectId: string, q: RecentEventsQuery): EventRecord[] {
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
}
