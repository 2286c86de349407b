import { destinationId } from '../../model/destination-id.js';
import type { ReplayCandidate as Candidate } from '../shared/replay-candidate.js';
import { replayedResult } from '../shared/replay-result.js';
import type { ReplayInput, ReplayResult } from '../../model/replay-records.js';
import type { SqliteDatabase } from './open-database.js';
import type { WebhookRow } from '../rows/rows.js';

/**
 * Re-enqueues a webhook's deliveries for the events of a window (see `ReplayInput` for which).
 * Must run inside one transaction: the candidates are read, then every row is written, so a
 * concurrent claim never sees half a replay.
 */
export function replayWebhookDeliveriesInTx(db: SqliteDatabase, input: ReplayInput): ReplayResult {
  const wh = db
    .prepare<[string, string], WebhookRow>('SELECT * FROM webhooks WHERE id = ? AND project_id = ?')
    .get(input.webhookId, input.projectId);
  if (!wh) return { status: 'not_found' };
  if (wh.state !== 'enabled') return { status: 'not_enabled', state: wh.state as 'disabled' };

  const statuses = input.onlyFailed ? "'failed', 'cancelled'" : "'failed', 'cancelled', 'succeeded'";
  // Read the candidates first (bounded: limit + 1 to know whether more remain), then write.
  const rows = db
    .prepare<Record<string, unknown>, Candidate>(
      `SELECT e.id AS event_id, e.type, e.message_id, e.created_at, d.id AS delivery_id
       FROM events e
       LEFT JOIN deliveries d ON d.event_id = e.id AND d.webhook_id = @webhookId
       WHERE e.project_id = @projectId AND e.created_at >= @since AND e.created_at < @until
         AND (
           (d.id IS NOT NULL AND d.status IN (${statuses}) AND coalesce(d.status_reason, '') <> 'superseded')
           OR (d.id IS NULL
               AND e.created_at >= @webhookCreatedAt
               AND e.type <> 'webhook.ping'
               AND e.type IN (SELECT value FROM json_each(@subscribed))
               AND NOT EXISTS (SELECT 1 FROM deliveries x WHERE x.event_id = e.id AND x.dest_type = 'dynamic'))
         )
       ORDER BY e.sequence
       LIMIT @take`,
    )
    .all({
      projectId: input.projectId,
      webhookId: wh.id,
      since: input.since,
      until: input.until,
      webhookCreatedAt: wh.created_at,
      subscribed: wh.subscribed_events,
      take: input.limit + 1,
    });
  const chosen = rows.slice(0, input.limit);
  const { now } = input;

  const requeue = db.prepare(
    `UPDATE deliveries SET status = 'pending', status_reason = NULL, next_attempt_at = ?, next_trigger = 'replay',
       uri = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
     WHERE id = ? AND status IN (${statuses})`,
  );
  const insert = db.prepare(
    `INSERT INTO deliveries (id, project_id, event_id, event_type, message_id, destination_id, dest_type, webhook_id, uri,
       status, attempt_count, next_attempt_at, next_trigger, deadline_at, supersede_key, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'webhook', ?, ?, 'pending', 0, ?, 'replay', ?, NULL, ?, ?)`,
  );
  const countDelivery = db.prepare('UPDATE events SET delivery_count = delivery_count + 1 WHERE id = ?');
  const destId = destinationId({ webhookId: wh.id });

  let requeued = 0;
  let created = 0;
  for (const c of chosen) {
    if (c.delivery_id !== null) {
      requeued += requeue.run(now, wh.uri, now, c.delivery_id).changes;
    } else {
      insert.run(
        input.newDeliveryId(),
        input.projectId,
        c.event_id,
        c.type,
        c.message_id,
        destId,
        wh.id,
        wh.uri,
        now,
        input.deadlineAt,
        now,
        now,
      );
      countDelivery.run(c.event_id);
      created++;
    }
  }
  if (requeued + created > 0) {
    db.prepare(
      `INSERT INTO destinations (id, project_id, in_flight, next_due_at) VALUES (?, ?, 0, ?)
       ON CONFLICT (id) DO UPDATE SET next_due_at = min(coalesce(next_due_at, excluded.next_due_at), excluded.next_due_at)`,
    ).run(destId, input.projectId, now);
  }
  return replayedResult(rows, input.limit, { requeued, created });
}
