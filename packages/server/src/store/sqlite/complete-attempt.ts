import type { CompleteAttemptInput } from '../../model/records.js';
import { emitEventInTx } from './emit-event.js';
import type { SqliteDatabase } from './open-database.js';
import type { DeliveryRow, WebhookRow } from '../rows/rows.js';

/** Cancels a webhook's pending deliveries (when it is disabled or deleted). */
export function cancelPendingForWebhook(db: SqliteDatabase, webhookId: string, reason: string, now: number): number {
  return db
    .prepare(
      `UPDATE deliveries SET status = 'cancelled', status_reason = ?, next_attempt_at = NULL, updated_at = ?
       WHERE webhook_id = ? AND status = 'pending'`,
    )
    .run(reason, now, webhookId).changes;
}

function maybeDisableWebhook(db: SqliteDatabase, input: CompleteAttemptInput): void {
  const { delivery, outcome, health, now } = input;
  if (!health || delivery.webhookId === null || outcome.status !== 'failed') return;
  const wh = db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE id = ?').get(delivery.webhookId);
  if (!wh || wh.state !== 'enabled') return;
  let reason: string | undefined;
  if (outcome.reason === 'gone') reason = 'endpoint answered 410 Gone';
  else if (outcome.reason === 'exhausted') {
    const lastGood = wh.last_success_at ?? wh.created_at;
    if (lastGood <= health.noSuccessSince)
      reason = 'no successful delivery for 24 hours and a delivery exhausted its retries';
  }
  if (!reason) return;
  db.prepare(`UPDATE webhooks SET state = 'disabled_due_to_failed_deliveries', updated_at = ? WHERE id = ?`).run(
    now,
    wh.id,
  );
  cancelPendingForWebhook(db, wh.id, 'webhook_disabled', now);
  emitEventInTx(db, {
    ...health.disabledEvent(wh.id, reason),
    projectId: delivery.projectId,
    target: { kind: 'subscribers' },
  });
}

/**
 * Records an attempt and moves the delivery on. If this process lost the lease meanwhile
 * (the reaper returned it), the attempt is still recorded, and a success still settles it.
 */
export function completeAttemptInTx(db: SqliteDatabase, input: CompleteAttemptInput): void {
  const { delivery, attempt, outcome, now } = input;
  const current = db.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE id = ?').get(delivery.id);
  if (!current) return;
  const owned = current.status === 'in_flight' && current.lease_owner === delivery.leaseOwner;
  const number = attempt ? Math.max(attempt.number, current.attempt_count + 1) : current.attempt_count;
  if (attempt) {
    db.prepare(
      `INSERT INTO attempts (delivery_id, number, trigger, started_at, duration_ms, status_code, error_code, error_message, response_excerpt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      delivery.id,
      number,
      attempt.trigger,
      attempt.startedAt,
      attempt.durationMs,
      attempt.statusCode,
      attempt.errorCode,
      attempt.errorMessage,
      attempt.responseExcerpt,
    );
  }
  const lastError = attempt?.errorCode
    ? `${attempt.errorCode}: ${attempt.errorMessage ?? ''}`.trim()
    : current.last_error;

  if (owned || (outcome.status === 'succeeded' && current.status === 'pending')) {
    const status = outcome.status;
    const nextAt = outcome.status === 'pending' ? outcome.nextAttemptAt : null;
    const reason = outcome.status === 'failed' || outcome.status === 'cancelled' ? outcome.reason : null;
    db.prepare(
      `UPDATE deliveries SET status = ?, status_reason = ?, attempt_count = ?, next_attempt_at = ?, next_trigger = 'scheduled',
         lease_owner = NULL, lease_until = NULL, updated_at = ?, last_status_code = ?, last_error = ? WHERE id = ?`,
    ).run(
      status,
      reason,
      number,
      nextAt,
      now,
      attempt ? attempt.statusCode : current.last_status_code,
      lastError,
      delivery.id,
    );
    if (owned) {
      db.prepare(
        `UPDATE destinations SET in_flight = max(in_flight - 1, 0),
           next_due_at = CASE WHEN ? IS NULL THEN next_due_at ELSE min(coalesce(next_due_at, ?), ?) END WHERE id = ?`,
      ).run(nextAt, nextAt, nextAt, current.destination_id);
    }
  } else {
    db.prepare(`UPDATE deliveries SET attempt_count = max(attempt_count, ?), updated_at = ? WHERE id = ?`).run(
      number,
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
  maybeDisableWebhook(db, input);
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
