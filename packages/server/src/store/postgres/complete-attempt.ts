import type { CompleteAttemptInput } from '../../model/records.js';
import type { EndpointHealthPolicy } from '../../ports/endpoint-health.js';
import { toWebhookHealthFacts, type DeliveryRow, type WebhookRow } from '../rows/rows.js';
import { attemptSettlement } from '../shared/attempt-settlement.js';
import { notifyWake } from './channels.js';
import { clearFullAfterCommit, lowerDueAfterCommit } from './lower-due.js';
import { emitEventInTx } from './emit-event.js';
import type { Tx } from './pg-database.js';

/*
 * Lock order, shared by every unit of work here so two processes never wait on each other in a
 * cycle: delivery rows → destination rows (in id order). Claims take destinations with SKIP
 * LOCKED and then only pending deliveries, which nothing below holds while waiting. Emitting an
 * event locks no project row (its sequence comes from the transaction id, ADR 0012).
 */

/** Cancels a webhook's pending deliveries (when it is disabled or deleted). */
export async function cancelPendingForWebhook(tx: Tx, webhookId: string, reason: string, now: number): Promise<number> {
  return tx.run(
    `UPDATE deliveries SET status = 'cancelled', status_reason = $1, next_attempt_at = NULL, updated_at = $2
     WHERE webhook_id = $3 AND status = 'pending'`,
    [reason, now, webhookId],
  );
}

/**
 * Applies the endpoint-health decision (delivery/endpoint-health.ts) in the attempt's
 * transaction, on the webhook row locked `FOR UPDATE`: the webhook's new state, the cancellation
 * of its pending deliveries and the `webhook.disabled` event with its deliveries commit with the attempt.
 */
async function applyEndpointHealth(tx: Tx, input: CompleteAttemptInput, health: EndpointHealthPolicy): Promise<void> {
  const webhookId = input.delivery.webhookId;
  if (webhookId === null || !health.mayDisable(input)) return;
  const wh = await tx.one<WebhookRow>('SELECT * FROM webhooks WHERE id = $1 FOR UPDATE', [webhookId]);
  const disable = wh && health.decide(input, toWebhookHealthFacts(wh));
  if (!disable) return;
  await tx.run(`UPDATE webhooks SET state = 'disabled_due_to_failed_deliveries', updated_at = $1 WHERE id = $2`, [
    input.now,
    webhookId,
  ]);
  await cancelPendingForWebhook(tx, webhookId, 'webhook_disabled', input.now);
  await emitEventInTx(tx, disable.event);
}

/**
 * Records an attempt and moves the delivery on, in the caller's transaction. Lease-dependent
 * changes (the status, the destination's in-flight counter) apply only while this process still
 * holds the lease; if the reaper took it back meanwhile, the attempt is still recorded, and a
 * success still settles a delivery that is waiting for its next attempt.
 */
export async function completeAttemptInTx(
  tx: Tx,
  input: CompleteAttemptInput,
  health: EndpointHealthPolicy | undefined,
): Promise<void> {
  const { delivery, attempt, outcome, now } = input;
  const current = await tx.one<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1 FOR UPDATE', [delivery.id]);
  if (!current) return;
  const { owned, settles, number, nextAt, reason, lastStatusCode, lastError } = attemptSettlement(current, input);

  // One statement: the attempt row and the delivery. The destination's row is left to after the
  // commit (clearing its full mark, lowering its bound for a retry): a transaction that records
  // many attempts holds no destination row, so claims, emits and other records never queue
  // behind it (ADR 0012).
  await tx.run(
    `WITH att AS (
       INSERT INTO attempts (delivery_id, number, trigger, started_at, duration_ms, status_code, error_code, error_message, response_excerpt)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE $10::boolean
     ), dl AS (
       UPDATE deliveries SET
         status = CASE WHEN $11::boolean THEN $12 ELSE status END,
         status_reason = CASE WHEN $11::boolean THEN $13 ELSE status_reason END,
         attempt_count = CASE WHEN $11::boolean THEN $2 ELSE greatest(attempt_count, $2) END,
         next_attempt_at = CASE WHEN $11::boolean THEN $14::bigint ELSE next_attempt_at END,
         next_trigger = CASE WHEN $11::boolean THEN 'scheduled' ELSE next_trigger END,
         lease_owner = CASE WHEN $11::boolean THEN NULL ELSE lease_owner END,
         lease_until = CASE WHEN $11::boolean THEN NULL ELSE lease_until END,
         last_status_code = CASE WHEN $11::boolean THEN $15::int ELSE last_status_code END,
         last_error = CASE WHEN $11::boolean THEN $16 ELSE last_error END,
         updated_at = $17
       WHERE id = $1
     )
     SELECT 1`,
    [
      delivery.id,
      number,
      attempt?.trigger ?? null,
      attempt?.startedAt ?? null,
      attempt?.durationMs ?? null,
      attempt?.statusCode ?? null,
      attempt?.errorCode ?? null,
      attempt?.errorMessage ?? null,
      attempt?.responseExcerpt ?? null,
      attempt !== null,
      settles,
      outcome.status,
      reason,
      nextAt,
      lastStatusCode,
      lastError,
      now,
    ],
  );
  if (owned) {
    clearFullAfterCommit(tx, current.destination_id);
    if (settles && nextAt !== null) lowerDueAfterCommit(tx, [current.destination_id], nextAt);
  }

  if (outcome.status === 'succeeded' && delivery.webhookId !== null) {
    // At most about once a second per webhook: every success would otherwise queue on this row.
    // A row another transaction holds is skipped, not waited for: that one is stamping it now.
    await tx.run(
      `UPDATE webhooks SET last_success_at = $1::bigint WHERE id = (
         SELECT id FROM webhooks WHERE id = $2 AND coalesce(last_success_at, 0) < $1::bigint - 1000
         FOR NO KEY UPDATE SKIP LOCKED)`,
      [now, delivery.webhookId],
    );
  }
  if (health) await applyEndpointHealth(tx, input, health);
}

/**
 * Returns leases that expired before `now` (a crashed or stuck holder) to `pending`, due at
 * `dueAt`, at most `batch` per call. Safe with many reapers at once: the expired rows are taken
 * `FOR UPDATE SKIP LOCKED` (two reapers never release the same lease, nor wait on each other),
 * then their destinations are locked in id order, their "full" marks cleared and their lower
 * bounds lowered.
 */
export async function releaseExpiredLeasesInTx(
  tx: Tx,
  now: number,
  dueAt: number = now,
  batch = 1000,
): Promise<number> {
  const released = await tx.rows<{ destination_id: string }>(
    `WITH expired AS (
       SELECT id FROM deliveries WHERE status = 'in_flight' AND lease_until < $1
       ORDER BY lease_until LIMIT $3 FOR UPDATE SKIP LOCKED
     )
     UPDATE deliveries d SET status = 'pending', lease_owner = NULL, lease_until = NULL, next_attempt_at = $2, updated_at = $2
     FROM expired WHERE d.id = expired.id
     RETURNING d.destination_id`,
    [now, dueAt, batch],
  );
  if (released.length === 0) return 0;
  const ids = [...new Set(released.map((r) => r.destination_id))].sort();
  await tx.run('SELECT 1 FROM destinations WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [ids]);
  await tx.run(
    `UPDATE destinations SET in_flight = 0, next_due_at = least(next_due_at, $2::bigint) WHERE id = ANY($1::text[])`,
    [ids, dueAt],
  );
  notifyWake(tx, 'released');
  return released.length;
}

/**
 * Clears the "full" mark of destinations with no lease left. An attempt record clears the mark
 * of its destination unless it raced the claim that set it; if every lease of that destination
 * ended in that race, nothing else would, so the reaper's round does (ADR 0012).
 */
export async function clearStaleFullMarksInTx(tx: Tx): Promise<number> {
  return tx.run(
    `UPDATE destinations d SET in_flight = 0
     WHERE in_flight > 0
       AND NOT EXISTS (SELECT 1 FROM deliveries WHERE destination_id = d.id AND status = 'in_flight')`,
  );
}
