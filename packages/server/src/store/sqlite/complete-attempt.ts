import type { CompleteAttemptInput } from '../../model/records.js';
import { emitEventInTx } from './emit-event.js';
import type { SqliteDatabase } from './open-database.js';
import type { EndpointHealthPolicy } from '../../ports/endpoint-health.js';
import { attemptInsertParams, toWebhookHealthFacts, type DeliveryRow, type WebhookRow } from '../rows/rows.js';
import { attemptSettlement } from '../shared/attempt-settlement.js';

/** Cancels a webhook's pending deliveries (when it is disabled or deleted). */
export function cancelPendingForWebhook(db: SqliteDatabase, webhookId: string, reason: string, now: number): number {
  return db
    .prepare(
      `UPDATE deliveries SET status = 'cancelled', status_reason = ?, next_attempt_at = NULL, updated_at = ?
       WHERE webhook_id = ? AND status = 'pending'`,
    )
    .run(reason, now, webhookId).changes;
}

/**
 * Applies the endpoint-health decision (delivery/endpoint-health.ts) in the attempt's
 * transaction: the webhook's new state, the cancellation of its pending deliveries and the
 * `webhook.disabled` event with its deliveries commit with the attempt.
 */
function applyEndpointHealth(db: SqliteDatabase, input: CompleteAttemptInput, health: EndpointHealthPolicy): void {
  const webhookId = input.delivery.webhookId;
  if (webhookId === null || !health.mayDisable(input)) return;
  const wh = db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE id = ?').get(webhookId);
  const disable = wh && health.decide(input, toWebhookHealthFacts(wh));
  if (!disable) return;
  db.prepare(`UPDATE webhooks SET state = 'disabled_due_to_failed_deliveries', updated_at = ? WHERE id = ?`).run(
    input.now,
    webhookId,
  );
  cancelPendingForWebhook(db, webhookId, 'webhook_disabled', input.now);
  emitEventInTx(db, disable.event);
}

/**
 * Records an attempt and moves the delivery on. If this process lost the lease meanwhile
 * (the reaper returned it), the attempt is still recorded, and a success still settles it.
 */
export function completeAttemptInTx(
  db: SqliteDatabase,
  input: CompleteAttemptInput,
  health: EndpointHealthPolicy | undefined,
): void {
  const { delivery, attempt, outcome, now } = input;
  const current = db.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE id = ?').get(delivery.id);
  if (!current) return;
  const s = attemptSettlement(current, input);
  if (attempt) {
    db.prepare(
      `INSERT INTO attempts (delivery_id, number, trigger, started_at, duration_ms, status_code, error_code, error_message, response_excerpt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(...attemptInsertParams(delivery.id, attempt, s.number));
  }

  if (s.settles) {
    db.prepare(
      `UPDATE deliveries SET status = ?, status_reason = ?, attempt_count = ?, next_attempt_at = ?, next_trigger = 'scheduled',
         lease_owner = NULL, lease_until = NULL, updated_at = ?, last_status_code = ?, last_error = ? WHERE id = ?`,
    ).run(outcome.status, s.reason, s.number, s.nextAt, now, s.lastStatusCode, s.lastError, delivery.id);
    if (s.owned) {
      db.prepare(
        `UPDATE destinations SET in_flight = max(in_flight - 1, 0),
           next_due_at = CASE WHEN ? IS NULL THEN next_due_at ELSE min(coalesce(next_due_at, ?), ?) END WHERE id = ?`,
      ).run(s.nextAt, s.nextAt, s.nextAt, current.destination_id);
    }
  } else {
    db.prepare(`UPDATE deliveries SET attempt_count = max(attempt_count, ?), updated_at = ? WHERE id = ?`).run(
      s.number,
      now,
      delivery.id,
    );
  }

  if (outcome.status === 'succeeded' && delivery.webhookId !== null) {
    // At most one write a second per webhook: the health check needs hours, not milliseconds.
    db.prepare(
      'UPDATE webhooks SET last_success_at = ? WHERE id = ? AND (last_success_at IS NULL OR last_success_at < ?)',
    ).run(now, delivery.webhookId, now - 1000);
  }
  if (health) applyEndpointHealth(db, input, health);
}

/** Returns leases that expired before `now` (a crashed or stuck attempt) to `pending`, due at `dueAt`. */
export function releaseExpiredLeasesInTx(db: SqliteDatabase, now: number, dueAt: number = now): number {
  const rows = db
    .prepare<[number], { id: string; destination_id: string }>(
      `SELECT id, destination_id FROM deliveries WHERE status = 'in_flight' AND lease_until < ?`,
    )
    .all(now);
  const release = db.prepare(
    `UPDATE deliveries SET status = 'pending', lease_owner = NULL, lease_until = NULL, next_attempt_at = ?, updated_at = ? WHERE id = ?`,
  );
  const dest = db.prepare(
    `UPDATE destinations SET in_flight = max(in_flight - 1, 0), next_due_at = min(coalesce(next_due_at, ?), ?) WHERE id = ?`,
  );
  for (const r of rows) {
    release.run(dueAt, dueAt, r.id);
    dest.run(dueAt, dueAt, r.destination_id);
  }
  return rows.length;
}

/**
 * Returns leases handed out by an emit whose engine left before the commit was durable (see
 * DirectDispatch): the deliveries are due now, as if never leased.
 */
export function releaseLeasesInTx(db: SqliteDatabase, ids: readonly string[], owner: string, now: number): number {
  const release = db.prepare(
    `UPDATE deliveries SET status = 'pending', lease_owner = NULL, lease_until = NULL, next_attempt_at = ?, updated_at = ?
     WHERE id = ? AND status = 'in_flight' AND lease_owner = ? RETURNING destination_id`,
  );
  const dest = db.prepare(
    `UPDATE destinations SET in_flight = max(in_flight - 1, 0), next_due_at = min(coalesce(next_due_at, ?), ?) WHERE id = ?`,
  );
  let n = 0;
  for (const id of ids) {
    const r = release.get(now, now, id, owner) as { destination_id: string } | undefined;
    if (!r) continue;
    dest.run(now, now, r.destination_id);
    n++;
  }
  return n;
}
