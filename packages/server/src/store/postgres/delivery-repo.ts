import type { AttemptRecord, DeliveryFilter, DeliveryRecord } from '../../model/records.js';
import type { DeliveryStats } from '../../ports/store.js';
import { toAttempt, toDelivery, type AttemptRow, type DeliveryRow } from '../rows/rows.js';
import { notifyWake } from './channels.js';
import { upsertDestinations } from './emit-event.js';
import type { Tx } from './pg-database.js';

/** Read side of deliveries for the API, and the manual retry (PostgreSQL). */
export async function selectDelivery(
  tx: Pick<Tx, 'rows' | 'one'>,
  projectId: string,
  id: string,
): Promise<{ delivery: DeliveryRecord; attempts: AttemptRecord[] } | undefined> {
  const row = await tx.one<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1 AND project_id = $2', [id, projectId]);
  if (!row) return undefined;
  const attempts = await tx.rows<AttemptRow>('SELECT * FROM attempts WHERE delivery_id = $1 ORDER BY number', [id]);
  return { delivery: toDelivery(row), attempts: attempts.map(toAttempt) };
}

export async function selectDeliveries(
  tx: Pick<Tx, 'rows'>,
  projectId: string,
  f: DeliveryFilter,
): Promise<DeliveryRecord[]> {
  const where = ['project_id = $1'];
  const args: unknown[] = [projectId];
  const add = (clause: string, value: unknown) => {
    args.push(value);
    where.push(clause.replace('?', `$${args.length}`));
  };
  if (f.status) add('status = ?', f.status);
  if (f.webhookId) add('webhook_id = ?', f.webhookId);
  if (f.eventId) add('event_id = ?', f.eventId);
  if (f.beforeId) add('id < ?', f.beforeId);
  args.push(f.pageSize);
  const rows = await tx.rows<DeliveryRow>(
    `SELECT * FROM deliveries WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${args.length}`,
    args,
  );
  return rows.map(toDelivery);
}

/** Makes a delivery due now for one manual attempt; a delivery in flight is left alone. */
export async function markForRetry(
  tx: Tx,
  projectId: string,
  id: string,
  now: number,
): Promise<DeliveryRecord | undefined> {
  const row = await tx.one<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1 AND project_id = $2 FOR UPDATE', [
    id,
    projectId,
  ]);
  if (!row) return undefined;
  if (row.status === 'in_flight') return toDelivery(row);
  const updated = await tx.one<DeliveryRow>(
    `UPDATE deliveries SET status = 'pending', status_reason = NULL, next_attempt_at = $1, next_trigger = 'manual', updated_at = $1
     WHERE id = $2 RETURNING *`,
    [now, id],
  );
  await upsertDestinations(tx, projectId, [row.destination_id], now);
  notifyWake(tx, 'retry');
  return toDelivery(updated!);
}

/** When the next delivery falls due at a destination with room (for the engine's timer). */
export async function selectNextDueAt(db: Pick<Tx, 'one'>, maxPerDestination: number): Promise<number | null> {
  const r = await db.one<{ next_due_at: number }>(
    'SELECT next_due_at FROM destinations WHERE next_due_at IS NOT NULL AND in_flight < $1 ORDER BY next_due_at LIMIT 1',
    [maxPerDestination],
  );
  return r ? r.next_due_at : null;
}

/** The backlog gauges of `/metrics`, across every project. */
export async function selectDeliveryStats(db: Pick<Tx, 'rows' | 'one'>): Promise<DeliveryStats> {
  const counts = await db.rows<{ status: string; n: number; oldest: number | null }>(
    `SELECT status, count(*) AS n, min(created_at) AS oldest FROM deliveries
     WHERE status IN ('pending', 'in_flight') GROUP BY status`,
  );
  const disabled = await db.one<{ n: number }>(
    "SELECT count(*) AS n FROM webhooks WHERE state = 'disabled_due_to_failed_deliveries'",
  );
  const oldest = counts.map((c) => c.oldest).filter((o): o is number => o !== null);
  return {
    pending: counts.find((c) => c.status === 'pending')?.n ?? 0,
    inFlight: counts.find((c) => c.status === 'in_flight')?.n ?? 0,
    oldestPendingCreatedAt: oldest.length > 0 ? Math.min(...oldest) : null,
    disabledWebhooks: disabled?.n ?? 0,
  };
}
