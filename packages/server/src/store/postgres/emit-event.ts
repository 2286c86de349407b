import { destinationId } from '../../model/destination-id.js';
import type { EmitInput, EmitResult } from '../../model/records.js';
import { toEvent, type EventRow, type WebhookRow } from '../rows/rows.js';
import type { Tx } from './pg-database.js';
import { writeEmits, type PgEmitResult, type PreparedEmit } from './write-emits.js';
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

/**
 * The reads of an emit (an earlier event with the same idempotency key, the subscribed
 * destinations). A group commit prepares every emit of its batch first, then writes them all in
 * one statement (`writeEmits`).
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

/** One emit inside the caller's transaction: `prepareEmit` then `writeEmits`. */
export async function emitEventInTx(tx: Tx, input: EmitInput): Promise<EmitResult> {
  const [{ direct: _direct, ...result }] = (await writeEmits(tx, [{ prepared: await prepareEmit(tx, input) }])) as [
    PgEmitResult,
  ];
  return result;
}
