import type { DeliveryStats } from '../../ports/store.js';
import type { AttemptRecord, DeliveryFilter, DeliveryRecord } from '../../model/records.js';
import type { SqliteDatabase } from './open-database.js';
import { toAttempt, toDelivery, type AttemptRow, type DeliveryRow } from '../rows/rows.js';

/** Read side of deliveries for the API, and the manual retry. */
export function selectDelivery(
  db: SqliteDatabase,
  projectId: string,
  id: string,
): { delivery: DeliveryRecord; attempts: AttemptRecord[] } | undefined {
  const row = db
    .prepare<[string, string], DeliveryRow>('SELECT * FROM deliveries WHERE id = ? AND project_id = ?')
    .get(id, projectId);
  if (!row) return undefined;
  const attempts = db
    .prepare<[string], AttemptRow>('SELECT * FROM attempts WHERE delivery_id = ? ORDER BY number')
    .all(id)
    .map(toAttempt);
  return { delivery: toDelivery(row), attempts };
}

export function selectDeliveries(db: SqliteDatabase, projectId: string, f: DeliveryFilter): DeliveryRecord[] {
  const where = ['project_id = @projectId'];
  if (f.status) where.push('status = @status');
  if (f.webhookId) where.push('webhook_id = @webhookId');
  if (f.eventId) where.push('event_id = @eventId');
  if (f.beforeId) where.push('id < @beforeId');
  const sql = `SELECT * FROM deliveries WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`;
  return db
    .prepare<Record<string, unknown>, DeliveryRow>(sql)
    .all({
      projectId,
      status: f.status,
      webhookId: f.webhookId,
      eventId: f.eventId,
      beforeId: f.beforeId,
      limit: f.pageSize,
    })
    .map(toDelivery);
}

/** Makes a delivery due now for one manual attempt; a delivery in flight is left alone. */
export function markForRetry(
  db: SqliteDatabase,
  projectId: string,
  id: string,
  now: number,
): DeliveryRecord | undefined {
  const row = db
    .prepare<[string, string], DeliveryRow>('SELECT * FROM deliveries WHERE id = ? AND project_id = ?')
    .get(id, projectId);
  if (!row) return undefined;
  if (row.status === 'in_flight') return toDelivery(row);
  db.prepare(
    `UPDATE deliveries SET status = 'pending', status_reason = NULL, next_attempt_at = ?, next_trigger = 'manual', updated_at = ?
     WHERE id = ?`,
  ).run(now, now, id);
  db.prepare(
    `INSERT INTO destinations (id, project_id, in_flight, next_due_at) VALUES (?, ?, 0, ?)
     ON CONFLICT (id) DO UPDATE SET next_due_at = min(coalesce(next_due_at, excluded.next_due_at), excluded.next_due_at)`,
  ).run(row.destination_id, projectId, now);
  return toDelivery(db.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE id = ?').get(id)!);
}

/** Earliest `next_due_at` of a destination below its in-flight cap, or null. */
export function selectNextDueAt(db: SqliteDatabase, maxPerDestination: number): number | null {
  const r = db
    .prepare<[number], { next_due_at: number }>(
      'SELECT next_due_at FROM destinations WHERE next_due_at IS NOT NULL AND in_flight < ? ORDER BY next_due_at LIMIT 1',
    )
    .get(maxPerDestination);
  return r ? r.next_due_at : null;
}

/** Whole-store backlog gauges for /metrics. */
export function selectDeliveryStats(db: SqliteDatabase): DeliveryStats {
  const counts = db
    .prepare<[], { status: string; n: number; oldest: number | null }>(
      `SELECT status, count(*) AS n, min(created_at) AS oldest FROM deliveries
       WHERE status IN ('pending', 'in_flight') GROUP BY status`,
    )
    .all();
  const disabled = db
    .prepare<[], { n: number }>("SELECT count(*) AS n FROM webhooks WHERE state = 'disabled_due_to_failed_deliveries'")
    .get();
  const oldest = counts.map((c) => c.oldest).filter((o): o is number => o !== null);
  return {
    pending: counts.find((c) => c.status === 'pending')?.n ?? 0,
    inFlight: counts.find((c) => c.status === 'in_flight')?.n ?? 0,
    oldestPendingCreatedAt: oldest.length > 0 ? Math.min(...oldest) : null,
    disabledWebhooks: disabled?.n ?? 0,
  };
}
