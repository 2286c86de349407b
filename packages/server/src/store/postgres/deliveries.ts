import type { AttemptRecord, DeliveryFilter, DeliveryRecord } from '../records.js';
import { toAttempt, toDelivery, type AttemptRow, type DeliveryRow } from '../sqlite/rows.js';
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
