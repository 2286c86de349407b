import type { CompleteAttemptInput } from '../../model/records.js';
import type { EndpointHealthPolicy } from '../../ports/endpoint-health.js';
import { toWebhookHealthFacts, type DeliveryRow, type WebhookRow } from '../rows/rows.js';
import { attemptSettlement } from '../shared/attempt-settlement.js';
import { notifyWake } from './channels.js';
import { clearFullAfterCommit, lowerDueAfterCommit } from './lower-due.js';
import { emitEventInTx } from './emit-event.js';
import { writeAttemptRecords } from './record-attempts.js';
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
 * Records attempts and moves their deliveries on, in the caller's transaction, in a few statements
 * for the whole batch (not a few per attempt): the delivery rows locked in id order, the settlement
 * decided per row (`attemptSettlement`, shared with SQLite), then one statement writes every
 * attempt row and delivery update and stamps the webhooks that succeeded (`writeAttemptRecords`). Lease-dependent
 * changes (the status, the destination's full mark) apply only while the recording process still
 * holds the lease; if the reaper took it back meanwhile, the attempt is still recorded, and a
 * success still settles a delivery that is waiting for its next attempt. Two records of one
 * delivery in a batch run one after the other (each must see the other's result).
 */
export async function completeAttemptsInTx(
  tx: Tx,
  inputs: readonly CompleteAttemptInput[],
  health: EndpointHealthPolicy | undefined,
): Promise<void> {
  const ids = inputs.map((i) => i.delivery.id);
  if (new Set(ids).size < ids.length) {
    for (const input of inputs) await completeAttemptsInTx(tx, [input], health);
    return;
  }
  // With each delivery, whether its destination is marked full as of now: only then is there a
  // mark to clear after the commit. A mark set later belongs to a claim whose own leases clear it.
  const rows = await tx.rows<DeliveryRow & { dest_full: boolean }>(
    `SELECT d.*, coalesce(x.in_flight > 0, false) AS dest_full
     FROM deliveries d LEFT JOIN destinations x ON x.id = d.destination_id
     WHERE d.id = ANY($1::text[]) ORDER BY d.id FOR UPDATE OF d`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const found = inputs.filter((i) => byId.has(i.delivery.id));
  if (found.length === 0) return;
  const settled = found.map((input) => ({ input, s: attemptSettlement(byId.get(input.delivery.id)!, input) }));
  // The destination rows are left to after the commit (clearing a full mark, lowering a bound for
  // a retry): a transaction that records many attempts holds no destination row, so claims, emits
  // and other records never queue behind it (ADR 0012).
  await writeAttemptRecords(tx, settled, false);
  for (const { input, s } of settled) {
    if (!s.owned) continue;
    const row = byId.get(input.delivery.id)!;
    const destId = row.destination_id;
    if (row.dest_full) clearFullAfterCommit(tx, destId);
    if (s.settles && s.nextAt !== null) lowerDueAfterCommit(tx, [destId], s.nextAt);
  }

  if (health) {
    // Webhook rows in id order, as every unit that holds several takes them.
    const byWebhook = [...found].sort((a, b) => ((a.delivery.webhookId ?? '') < (b.delivery.webhookId ?? '') ? -1 : 1));
    for (const input of byWebhook) await applyEndpointHealth(tx, input, health);
  }
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
