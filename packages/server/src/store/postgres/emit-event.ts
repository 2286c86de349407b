import { destinationId } from '../destination-id.js';
import type { EmitInput, EmitResult } from '../records.js';
import { toEvent, type EventRow, type WebhookRow } from '../sqlite/rows.js';
import { notifyEvent, notifyWake } from './channels.js';
import type { Tx } from './pg-database.js';

interface Destination {
  destType: 'webhook' | 'dynamic';
  webhookId: string | null;
  uri: string;
}

async function resolveDestinations(tx: Tx, input: EmitInput): Promise<Destination[]> {
  const { target } = input;
  switch (target.kind) {
    case 'uris':
      return [...new Set(target.uris)].map((uri) => ({ destType: 'dynamic', webhookId: null, uri }));
    case 'webhook': {
      const row = await tx.one<WebhookRow>('SELECT * FROM webhooks WHERE id = $1 AND project_id = $2', [
        target.webhookId,
        input.projectId,
      ]);
      return row ? [{ destType: 'webhook', webhookId: row.id, uri: row.uri }] : [];
    }
    case 'subscribers': {
      const rows = await tx.rows<WebhookRow>(
        "SELECT * FROM webhooks WHERE project_id = $1 AND state = 'enabled' ORDER BY created_at, id",
        [input.projectId],
      );
      return rows
        .filter((r) => (JSON.parse(r.subscribed_events) as string[]).includes(input.type))
        .map((r) => ({ destType: 'webhook', webhookId: r.id, uri: r.uri }));
    }
  }
}

/** Lowers `next_due_at` of destinations (creating them), locking them in id order. */
export async function upsertDestinations(tx: Tx, projectId: string, ids: string[], dueAt: number): Promise<void> {
  if (ids.length === 0) return;
  await tx.run(
    `INSERT INTO destinations (id, project_id, in_flight, next_due_at)
     SELECT id, $2, 0, $3::bigint FROM unnest($1::text[]) AS u(id) ORDER BY id
     ON CONFLICT (id) DO UPDATE SET next_due_at = excluded.next_due_at
     WHERE destinations.next_due_at IS NULL OR destinations.next_due_at > excluded.next_due_at`,
    [[...new Set(ids)].sort(), projectId, dueAt],
  );
}

/**
 * Appends the event and one pending delivery per destination, inside the caller's transaction.
 * Bumping the project's `event_seq` locks the project row until commit, so a project's events
 * commit in sequence order and a reader's `after=` cursor never skips one.
 */
export async function emitEventInTx(tx: Tx, input: EmitInput): Promise<EmitResult> {
  if (input.idempotencyKey !== undefined) {
    const existing = await tx.one<EventRow>('SELECT * FROM events WHERE project_id = $1 AND idempotency_key = $2', [
      input.projectId,
      input.idempotencyKey,
    ]);
    if (existing) return { event: toEvent(existing), duplicate: true };
  }
  const seq = await tx.one<{ event_seq: number }>(
    'UPDATE projects SET event_seq = event_seq + 1 WHERE id = $1 RETURNING event_seq',
    [input.projectId],
  );
  if (!seq) throw new Error(`unknown project ${input.projectId}`);

  const destinations = await resolveDestinations(tx, input);
  const row: EventRow = {
    id: input.eventId,
    project_id: input.projectId,
    sequence: seq.event_seq,
    type: input.type,
    message_id: input.messageId,
    operation: input.operation ?? null,
    body: input.body,
    delivery_count: destinations.length,
    created_at: input.createdAt,
  };
  await tx.run(
    `INSERT INTO events (id, project_id, sequence, type, message_id, operation, body, idempotency_key, delivery_count, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      row.id,
      row.project_id,
      row.sequence,
      row.type,
      row.message_id,
      row.operation,
      row.body,
      input.idempotencyKey ?? null,
      row.delivery_count,
      row.created_at,
    ],
  );
  notifyEvent(tx, { projectId: input.projectId, sequence: row.sequence, type: input.type });
  if (destinations.length === 0) return { event: toEvent(row), duplicate: false };

  const destIds = destinations.map((d) =>
    d.webhookId ? destinationId({ webhookId: d.webhookId }) : destinationId({ projectId: input.projectId, uri: d.uri }),
  );
  await upsertDestinations(tx, input.projectId, destIds, input.createdAt);
  if (input.supersedeKey !== undefined) {
    await tx.run(
      `UPDATE deliveries SET status = 'cancelled', status_reason = 'superseded', next_attempt_at = NULL, updated_at = $1
       WHERE destination_id = ANY($2::text[]) AND supersede_key = $3 AND status = 'pending'`,
      [input.createdAt, destIds, input.supersedeKey],
    );
  }
  await tx.run(
    `INSERT INTO deliveries (id, project_id, event_id, event_type, message_id, destination_id, dest_type, webhook_id, uri,
       status, attempt_count, next_attempt_at, next_trigger, deadline_at, supersede_key, created_at, updated_at)
     SELECT u.id, $1, $2, $3, $4, u.dest, u.dest_type, u.webhook_id, u.uri, 'pending', 0, $5::bigint, 'scheduled', $6::bigint,
       $7, $5::bigint, $5::bigint
     FROM unnest($8::text[], $9::text[], $10::text[], $11::text[], $12::text[]) AS u(id, dest, dest_type, webhook_id, uri)`,
    [
      input.projectId,
      input.eventId,
      input.type,
      input.messageId,
      input.createdAt,
      input.deadlineAt,
      input.supersedeKey ?? null,
      destinations.map(() => input.newDeliveryId()),
      destIds,
      destinations.map((d) => d.destType),
      destinations.map((d) => d.webhookId),
      destinations.map((d) => d.uri),
    ],
  );
  notifyWake(tx);
  return { event: toEvent(row), duplicate: false };
}
