import { destinationId } from '../../model/destination-id.js';
import type { ReplayCandidate as Candidate } from '../shared/replay-candidate.js';
import { replayedResult } from '../shared/replay-result.js';
import type { ReplayInput, ReplayResult } from '../../model/replay-records.js';
import type { WebhookRow } from '../rows/rows.js';
import { notifyWake } from './channels.js';
import { upsertDestinations } from './emit-event.js';
import type { Tx } from './pg-database.js';

/**
 * Re-enqueues a webhook's deliveries for the events of a window (see `ReplayInput`), in one
 * transaction: the candidates are read, then every row is written. Same rules as SQLite
 * (sqlite/replay.ts); the webhook row is locked so two replays of it do not interleave.
 */
export async function replayWebhookDeliveriesInTx(tx: Tx, input: ReplayInput): Promise<ReplayResult> {
  const wh = await tx.one<WebhookRow>('SELECT * FROM webhooks WHERE id = $1 AND project_id = $2 FOR UPDATE', [
    input.webhookId,
    input.projectId,
  ]);
  if (!wh) return { status: 'not_found' };
  if (wh.state !== 'enabled') return { status: 'not_enabled', state: wh.state as 'disabled' };

  const statuses = input.onlyFailed ? ['failed', 'cancelled'] : ['failed', 'cancelled', 'succeeded'];
  const subscribed = JSON.parse(wh.subscribed_events) as string[];
  const rows = await tx.rows<Candidate>(
    `SELECT e.id AS event_id, e.type, e.message_id, e.created_at, d.id AS delivery_id
     FROM events e
     LEFT JOIN deliveries d ON d.event_id = e.id AND d.webhook_id = $2
     WHERE e.project_id = $1 AND e.created_at >= $3 AND e.created_at < $4
       AND (
         (d.id IS NOT NULL AND d.status = ANY($5::text[]) AND coalesce(d.status_reason, '') <> 'superseded')
         OR (d.id IS NULL
             AND e.created_at >= $6
             AND e.type <> 'webhook.ping'
             AND e.type = ANY($7::text[])
             AND NOT EXISTS (SELECT 1 FROM deliveries x WHERE x.event_id = e.id AND x.dest_type = 'dynamic'))
       )
     ORDER BY e.sequence
     LIMIT $8`,
    [input.projectId, wh.id, input.since, input.until, statuses, wh.created_at, subscribed, input.limit + 1],
  );
  const chosen = rows.slice(0, input.limit);
  const { now } = input;
  const destId = destinationId({ webhookId: wh.id });

  const toRequeue = chosen.filter((c) => c.delivery_id !== null).map((c) => c.delivery_id!);
  const toCreate = chosen.filter((c) => c.delivery_id === null);
  const requeued =
    toRequeue.length === 0
      ? 0
      : await tx.run(
          `UPDATE deliveries SET status = 'pending', status_reason = NULL, next_attempt_at = $1, next_trigger = 'replay',
             uri = $2, lease_owner = NULL, lease_until = NULL, updated_at = $1
           WHERE id = ANY($3::text[]) AND status = ANY($4::text[])`,
          [now, wh.uri, toRequeue, statuses],
        );
  if (toCreate.length > 0) {
    await tx.run(
      `INSERT INTO deliveries (id, project_id, event_id, event_type, message_id, destination_id, dest_type, webhook_id, uri,
         status, attempt_count, next_attempt_at, next_trigger, deadline_at, supersede_key, created_at, updated_at)
       SELECT u.id, $1, u.event_id, u.type, u.message_id, $2, 'webhook', $3, $4, 'pending', 0, $5::bigint, 'replay', $6::bigint,
         NULL, $5::bigint, $5::bigint
       FROM unnest($7::text[], $8::text[], $9::text[], $10::text[]) AS u(id, event_id, type, message_id)`,
      [
        input.projectId,
        destId,
        wh.id,
        wh.uri,
        now,
        input.deadlineAt,
        toCreate.map(() => input.newDeliveryId()),
        toCreate.map((c) => c.event_id),
        toCreate.map((c) => c.type),
        toCreate.map((c) => c.message_id),
      ],
    );
    await tx.run('UPDATE events SET delivery_count = delivery_count + 1 WHERE id = ANY($1::text[])', [
      toCreate.map((c) => c.event_id),
    ]);
  }
  const created = toCreate.length;
  if (requeued + created > 0) {
    await upsertDestinations(tx, input.projectId, [destId], now);
    notifyWake(tx, 'replay');
  }
  return replayedResult(rows, input.limit, { requeued, created });
}
