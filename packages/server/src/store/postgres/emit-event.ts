import { destinationId } from '../../model/destination-id.js';
import type { ClaimedDelivery, EmitInput, EmitResult } from '../../model/records.js';
import type { DirectLease } from '../../ports/direct-dispatch.js';
import { chooseDirect } from './direct-lease.js';
import { toEvent, type EventRow, type WebhookRow } from '../rows/rows.js';
import { directDeliveryRow } from '../shared/direct-delivery.js';
import { CHANNELS } from './channels.js';
import { lowerDueAfterCommit } from './lower-due.js';
import { codeOf, FOREIGN_KEY_VIOLATION, type Tx } from './pg-database.js';
import { eventSequenceSql, nextOrdinal } from './event-order.js';
import { emitDestinations, type EmitDestination } from '../shared/emit-destination.js';
import {
  GENERATION_SQL,
  SUBSCRIPTIONS_SQL,
  subscriptionCacheFor,
  type SubscribedWebhook,
  type SubscriptionRow,
} from '../subscription-cache.js';

async function resolveDestinations(tx: Tx, input: EmitInput): Promise<EmitDestination[]> {
  const { target } = input;
  return emitDestinations(target, {
    webhook:
      target.kind === 'webhook'
        ? await tx.one<WebhookRow>('SELECT * FROM webhooks WHERE id = $1 AND project_id = $2', [
            target.webhookId,
            input.projectId,
          ])
        : undefined,
    subscribers: target.kind === 'subscribers' ? await subscribers(tx, input) : undefined,
  });
}

/** Per transaction: each project's webhook generation, read once (a batch of emits shares it). */
const generations = new WeakMap<Tx, Map<string, Promise<number>>>();

function generationOf(tx: Tx, projectId: string): Promise<number> {
  let byProject = generations.get(tx);
  if (!byProject) generations.set(tx, (byProject = new Map<string, Promise<number>>()));
  let gen = byProject.get(projectId);
  if (!gen) {
    gen = tx.one<{ generation: number }>(GENERATION_SQL, [projectId]).then((r) => r?.generation ?? 0);
    byProject.set(projectId, gen);
  }
  return gen;
}

/** The project's webhooks subscribed to the event's type, from memory while its generation holds. */
async function subscribers(tx: Tx, input: EmitInput): Promise<SubscribedWebhook[]> {
  const cache = subscriptionCacheFor(tx.scope);
  const hit = cache.lookup(input.projectId, await generationOf(tx, input.projectId), input.type);
  if (hit) return hit;
  return cache.fill(input.projectId, await tx.rows<SubscriptionRow>(SUBSCRIPTIONS_SQL, [input.projectId]), input.type);
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

/** An emit whose reads are done: what `writeEmit` needs, or the earlier event it duplicates. */
export type PreparedEmit =
  | { duplicate: EmitResult }
  | { duplicate?: undefined; input: EmitInput; destinations: EmitDestination[]; destIds: string[] };

/**
 * The reads of an emit (an earlier event with the same idempotency key, the subscribed
 * destinations), done before the project row is locked. A group commit prepares every emit of
 * its batch first, so the lock is then held for one statement per event, not four.
 */
export async function prepareEmit(tx: Tx, input: EmitInput): Promise<PreparedEmit> {
  if (input.idempotencyKey !== undefined) {
    const existing = await tx.one<EventRow>('SELECT * FROM events WHERE project_id = $1 AND idempotency_key = $2', [
      input.projectId,
      input.idempotencyKey,
    ]);
    if (existing) return { duplicate: { event: toEvent(existing), duplicate: true } };
  }
  const destinations = await resolveDestinations(tx, input);
  const destIds = destinations.map((d) =>
    d.webhookId ? destinationId({ webhookId: d.webhookId }) : destinationId({ projectId: input.projectId, uri: d.uri }),
  );
  return { input, destinations, destIds };
}

/**
 * Appends the event and one pending delivery per destination, inside the caller's transaction,
 * in one statement: the event, its deliveries, any destination row still missing and the event
 * notification. No existing row is locked: the destinations' `next_due_at` is lowered after the
 * commit (`lowerDueAfterCommit`). The event's `sequence` is its transaction's id times 4096
 * plus its place in the transaction (`eventSequenceSql`): no row is locked to number it, and the
 * event log shows it only once every older transaction has ended (ADR 0012), so a reader's
 * `after=` cursor never skips an event that commits late with a lower number.
 */
export async function writeEmit(tx: Tx, prepared: PreparedEmit, lease?: DirectLease): Promise<PgEmitResult> {
  if (prepared.duplicate) return { ...prepared.duplicate, direct: [] };
  const { input, destinations, destIds } = prepared;
  const direct = lease ? await chooseDirect(tx, input.projectId, destIds, lease) : new Set<string>();
  const deliveryIds = destinations.map(() => input.newDeliveryId());
  const leased = destIds.map((id) => direct.has(id));
  const inserted = await tx
    .one<{ sequence: number }>(
      `WITH ev AS (
       INSERT INTO events (id, project_id, sequence, type, message_id, operation, body, idempotency_key, delivery_count, created_at)
       VALUES ($2, $1, ${eventSequenceSql('$19')}, $3, $4, $5, $6, $7, $8, $9)
       RETURNING sequence
     ), dl AS (
       INSERT INTO deliveries (id, project_id, event_id, event_type, message_id, destination_id, dest_type, webhook_id, uri,
         status, attempt_count, next_attempt_at, next_trigger, lease_owner, lease_until, deadline_at, supersede_key,
         created_at, updated_at)
       SELECT u.id, $1, $2, $3, $4, u.dest, u.dest_type, u.webhook_id, u.uri,
         CASE WHEN u.leased THEN 'in_flight' ELSE 'pending' END, 0, $9::bigint, 'scheduled',
         CASE WHEN u.leased THEN $20 END, CASE WHEN u.leased THEN $21::bigint END,
         $10::bigint, $11, $9::bigint, $9::bigint
       FROM ev, unnest($12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $22::boolean[])
         AS u(id, dest, dest_type, webhook_id, uri, leased)
     ), up AS (
       INSERT INTO destinations (id, project_id, in_flight, next_due_at)
       SELECT u.id, $1, 0, $9::bigint FROM ev, unnest($18::text[]) AS u(id)
       -- Only rows this snapshot does not see: an insert that meets an existing row another
       -- transaction is updating (a claim, a bound being lowered) would wait for it, DO NOTHING or not.
       WHERE NOT EXISTS (SELECT 1 FROM destinations x WHERE x.id = u.id)
       ORDER BY u.id
       ON CONFLICT (id) DO NOTHING
     )
     SELECT ev.sequence,
       pg_notify($17, json_build_object('projectId', $1::text, 'sequence', ev.sequence, 'type', $3::text)::text)
     FROM ev`,
      [
        input.projectId,
        input.eventId,
        input.type,
        input.messageId,
        input.operation ?? null,
        input.body,
        input.idempotencyKey ?? null,
        destinations.length,
        input.createdAt,
        input.deadlineAt,
        input.supersedeKey ?? null,
        deliveryIds,
        destIds,
        destinations.map((d) => d.destType),
        destinations.map((d) => d.webhookId),
        destinations.map((d) => d.uri),
        CHANNELS.events,
        [...new Set(destIds)].sort(),
        nextOrdinal(tx),
        lease?.owner ?? null,
        lease ? input.createdAt + lease.leaseMs : null,
        leased,
      ],
    )
    .catch((err: unknown) => {
      // The event's project is a foreign key: a missing project fails the insert.
      if (codeOf(err) === FOREIGN_KEY_VIOLATION) throw new Error(`unknown project ${input.projectId}`);
      throw err;
    });
  if (!inserted) throw new Error(`unknown project ${input.projectId}`);
  const row: EventRow = {
    id: input.eventId,
    project_id: input.projectId,
    sequence: inserted.sequence,
    type: input.type,
    message_id: input.messageId,
    operation: input.operation ?? null,
    body: input.body,
    delivery_count: destinations.length,
    created_at: input.createdAt,
  };
  if (destinations.length === 0) return { event: toEvent(row), duplicate: false, direct: [] };
  if (input.supersedeKey !== undefined) {
    await tx.run(
      `UPDATE deliveries SET status = 'cancelled', status_reason = 'superseded', next_attempt_at = NULL, updated_at = $1
       WHERE destination_id = ANY($2::text[]) AND supersede_key = $3 AND status = 'pending' AND event_id <> $4`,
      [input.createdAt, destIds, input.supersedeKey, input.eventId],
    );
  }
  const pendingDests = destIds.filter((_, i) => !leased[i]);
  if (pendingDests.length > 0) lowerDueAfterCommit(tx, pendingDests, input.createdAt);
  const claimed = destinations.flatMap((d, i) =>
    leased[i] ? [directDeliveryRow(input, d, destIds[i]!, deliveryIds[i]!, lease!).claimed] : [],
  );
  return { event: toEvent(row), duplicate: false, direct: claimed };
}

/** An emit's result, with the deliveries it leased to this process's engine (DirectDispatch). */
export interface PgEmitResult extends EmitResult {
  direct: ClaimedDelivery[];
}

/** One emit inside the caller's transaction: `prepareEmit` then `writeEmit`. */
export async function emitEventInTx(tx: Tx, input: EmitInput): Promise<EmitResult> {
  const { direct: _direct, ...result } = await writeEmit(tx, await prepareEmit(tx, input));
  return result;
}
