import { destinationId } from '../../model/destination-id.js';
import type { DirectLease } from '../../ports/direct-dispatch.js';
import type { ClaimedDelivery, EmitInput, EmitResult } from '../../model/records.js';
import { toEvent, type EventRow, type WebhookRow } from '../rows/rows.js';
import { directDeliveryRow } from '../shared/direct-delivery.js';
import { emittedEventRow } from '../shared/emitted-event-row.js';
import { emitDestinations, type EmitDestination } from '../shared/emit-destination.js';
import type { SqliteDatabase } from './open-database.js';
import { noteEventAppended } from './event-notices.js';
import {
  GENERATION_SQL,
  SUBSCRIPTIONS_SQL,
  subscriptionCacheFor,
  type SubscribedWebhook,
  type SubscriptionRow,
} from '../subscription-cache.js';

/** An emit's result, with the deliveries it leased directly (see DirectDispatch). */
export interface SqliteEmitResult extends EmitResult {
  direct: ClaimedDelivery[];
}

function resolveDestinations(db: SqliteDatabase, input: EmitInput): EmitDestination[] {
  const { target } = input;
  return emitDestinations(target, {
    webhook:
      target.kind === 'webhook'
        ? db
            .prepare<[string, string], WebhookRow>('SELECT * FROM webhooks WHERE id = ? AND project_id = ?')
            .get(target.webhookId, input.projectId)
        : undefined,
    subscribers: target.kind === 'subscribers' ? subscribers(db, input) : undefined,
  });
}

// better-sqlite3 binds a repeated parameter by name only.
const GENERATION = GENERATION_SQL.replaceAll('$1', '@project');
const SUBSCRIPTIONS = SUBSCRIPTIONS_SQL.replaceAll('$1', '@project');

/** The project's webhooks subscribed to the event's type, from memory while its generation holds. */
function subscribers(db: SqliteDatabase, input: EmitInput): SubscribedWebhook[] {
  const cache = subscriptionCacheFor(db);
  const project = { project: input.projectId };
  const gen = db.prepare<[typeof project], { generation: number }>(GENERATION).get(project);
  const hit = cache.lookup(input.projectId, gen?.generation ?? 0, input.type);
  if (hit) return hit;
  const rows = db.prepare<[typeof project], SubscriptionRow>(SUBSCRIPTIONS).all(project);
  return cache.fill(input.projectId, rows, input.type);
}

/**
 * Appends the event and one pending delivery per destination. Must run inside a transaction:
 * the caller commits the event, its deliveries and whatever state change caused it together.
 * With `direct`, a delivery to a destination with nothing pending and room under its cap is
 * written already leased to `direct.owner` and returned in `direct` (see DirectDispatch).
 */
export function emitEventInTx(db: SqliteDatabase, input: EmitInput, direct?: DirectLease): SqliteEmitResult {
  if (input.idempotencyKey !== undefined) {
    const existing = db
      .prepare<[string, string], EventRow>('SELECT * FROM events WHERE project_id = ? AND idempotency_key = ?')
      .get(input.projectId, input.idempotencyKey);
    if (existing) return { event: toEvent(existing), duplicate: true, direct: [] };
  }
  const seq = db
    .prepare<[string], { event_seq: number }>(
      'UPDATE projects SET event_seq = event_seq + 1 WHERE id = ? RETURNING event_seq',
    )
    .get(input.projectId);
  if (!seq) throw new Error(`unknown project ${input.projectId}`);

  const destinations = resolveDestinations(db, input);
  const row = emittedEventRow(input, seq.event_seq, destinations.length);
  db.prepare(
    `INSERT INTO events (id, project_id, sequence, type, message_id, operation, body, idempotency_key, delivery_count, created_at)
     VALUES (@id, @project_id, @sequence, @type, @message_id, @operation, @body, @idempotency_key, @delivery_count, @created_at)`,
  ).run({ ...row, idempotency_key: input.idempotencyKey ?? null });
  noteEventAppended(db, { projectId: input.projectId, sequence: row.sequence });

  const upsertDestination = db.prepare(
    `INSERT INTO destinations (id, project_id, in_flight, next_due_at) VALUES (?, ?, 0, ?)
     ON CONFLICT (id) DO UPDATE SET next_due_at = excluded.next_due_at
     WHERE next_due_at IS NULL OR next_due_at > excluded.next_due_at`, // no write when already due sooner
  );
  const supersede = db.prepare(
    `UPDATE deliveries SET status = 'cancelled', status_reason = 'superseded', next_attempt_at = NULL, updated_at = ?
     WHERE destination_id = ? AND supersede_key = ? AND status = 'pending'`,
  );
  const insertDelivery = db.prepare(
    `INSERT INTO deliveries (id, project_id, event_id, event_type, message_id, destination_id, dest_type, webhook_id, uri,
       status, attempt_count, next_attempt_at, next_trigger, deadline_at, supersede_key, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, 'scheduled', ?, ?, ?, ?)`,
  );
  const leased: ClaimedDelivery[] = [];
  for (const d of destinations) {
    const destId = d.webhookId
      ? destinationId({ webhookId: d.webhookId })
      : destinationId({ projectId: input.projectId, uri: d.uri });
    if (input.supersedeKey !== undefined) supersede.run(input.createdAt, destId, input.supersedeKey);
    if (direct && direct.room > 0) {
      const lease = leaseDirectly(db, input, d, destId, direct);
      if (lease) {
        leased.push(lease);
        direct.room--;
        continue;
      }
    }
    upsertDestination.run(destId, input.projectId, input.createdAt);
    insertDelivery.run(
      input.newDeliveryId(),
      input.projectId,
      input.eventId,
      input.type,
      input.messageId,
      destId,
      d.destType,
      d.webhookId,
      d.uri,
      input.createdAt,
      input.deadlineAt,
      input.supersedeKey ?? null,
      input.createdAt,
      input.createdAt,
    );
  }
  return { event: toEvent(row), duplicate: false, direct: leased };
}

/**
 * Writes the delivery already leased when its destination has nothing pending (so nothing is
 * overtaken) and room under the cap; returns it as claimed, or undefined to write it pending.
 */
function leaseDirectly(
  db: SqliteDatabase,
  input: EmitInput,
  d: EmitDestination,
  destId: string,
  direct: DirectLease,
): ClaimedDelivery | undefined {
  // One statement takes the slot: a new destination, or one with nothing pending and room.
  const took = db
    .prepare<[string, string, number], { in_flight: number }>(
      `INSERT INTO destinations (id, project_id, in_flight, next_due_at) VALUES (?, ?, 1, NULL)
       ON CONFLICT (id) DO UPDATE SET in_flight = in_flight + 1 WHERE next_due_at IS NULL AND in_flight < ?
       RETURNING in_flight`,
    )
    .get(destId, input.projectId, direct.maxPerDestination);
  if (took === undefined) return undefined;
  const { row, claimed } = directDeliveryRow(input, d, destId, input.newDeliveryId(), direct);
  db.prepare(
    `INSERT INTO deliveries (id, project_id, event_id, event_type, message_id, destination_id, dest_type, webhook_id, uri,
       status, attempt_count, next_attempt_at, next_trigger, lease_owner, lease_until, deadline_at, supersede_key, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'in_flight', 0, ?, 'scheduled', ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.id,
    row.project_id,
    row.event_id,
    row.event_type,
    row.message_id,
    row.destination_id,
    row.dest_type,
    row.webhook_id,
    row.uri,
    row.next_attempt_at,
    row.lease_owner,
    row.lease_until,
    row.deadline_at,
    input.supersedeKey ?? null,
    row.created_at,
    row.updated_at,
  );
  return claimed;
}
