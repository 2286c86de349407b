import type { ClaimedDelivery, EmitInput, EmitResult } from '../../model/records.js';
import type { DirectLease } from '../../ports/direct-dispatch.js';
import { toEvent } from '../rows/rows.js';
import { emittedEventRow } from '../shared/emitted-event-row.js';
import { directDeliveryRow } from '../shared/direct-delivery.js';
import type { EmitDestination } from '../shared/emit-destination.js';
import { eventSequenceSql, nextOrdinal } from './event-order.js';
import { announceEventsAfterCommit, lowerDueAfterCommit } from './lower-due.js';
import { codeOf, FOREIGN_KEY_VIOLATION, type Tx } from './pg-database.js';

/** An emit whose reads are done: what `writeEmits` needs, or the earlier event it duplicates. */
export type PreparedEmit =
  | { duplicate: EmitResult }
  | { duplicate?: undefined; input: EmitInput; destinations: EmitDestination[]; destIds: string[] };

/** A prepared emit to write, with the destinations that take its delivery leased (direct dispatch). */
export interface EmitToWrite {
  prepared: PreparedEmit;
  /** Destination ids `chooseDirect` picked, and the lease they get; absent: every delivery pending. */
  direct?: { ids: ReadonlySet<string>; lease: DirectLease };
}

/**
 * Appends events and one delivery per destination each, inside the caller's transaction, in ONE
 * statement however many events (a group commit's batch is one round trip, not one per event):
 * the events, their deliveries and any destination row still missing. Their notices go out after
 * the commit (`announceEventsAfterCommit`). No existing row is locked: the destinations' `next_due_at` is lowered after the commit
 * (`lowerDueAfterCommit`). An event's `sequence` is its transaction's id times 4096 plus its place
 * in the transaction (`eventSequenceSql`): no row is locked to number it, and the event log shows
 * it only once every older transaction has ended (ADR 0012), so a reader's `after=` cursor never
 * skips an event that commits late with a lower number. Results come back in input order.
 */
export async function writeEmits(tx: Tx, items: readonly EmitToWrite[]): Promise<PgEmitResult[]> {
  const fresh = items.flatMap((item) => (item.prepared.duplicate ? [] : [{ ...item, p: item.prepared }]));
  const rows = fresh.map(({ p }) => ({
    input: p.input,
    deliveryIds: p.destinations.map(() => p.input.newDeliveryId()),
  }));
  const leasedOf = fresh.map(({ p, direct }) => p.destIds.map((id) => direct?.ids.has(id) ?? false));
  const owner = fresh.find((f) => f.direct)?.direct?.lease;
  const dests = new Map<string, { project: string; due: number }>();
  fresh.forEach(({ p }) => {
    for (const id of p.destIds) {
      const d = dests.get(id);
      if (!d || d.due > p.input.createdAt) dests.set(id, { project: p.input.projectId, due: p.input.createdAt });
    }
  });
  const destIds = [...dests.keys()].sort();
  const flat = <T>(f: (p: Exclude<PreparedEmit, { duplicate: EmitResult }>, i: number, j: number) => T) =>
    fresh.flatMap(({ p }, i) => p.destinations.map((_, j) => f(p, i, j)));
  const sequences = new Map<string, number>();
  if (fresh.length > 0) {
    const inserted = await tx
      .rows<{ id: string; project_id: string; sequence: number; type: string }>(
        `WITH e AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
           $8::int[], $9::bigint[], $10::bigint[], $11::text[], $12::int[])
           WITH ORDINALITY AS e(project_id, id, type, message_id, operation, body, idempotency_key, delivery_count,
             created_at, deadline_at, supersede_key, ord, i)
       ), ev AS (
         INSERT INTO events (id, project_id, sequence, type, message_id, operation, body, idempotency_key, delivery_count, created_at)
         SELECT id, project_id, ${eventSequenceSql('ord')}, type, message_id, operation, body, idempotency_key,
           delivery_count, created_at
         FROM e ORDER BY i
         RETURNING id, project_id, sequence, type
       ), dl AS (
         INSERT INTO deliveries (id, project_id, event_id, event_type, message_id, destination_id, dest_type, webhook_id, uri,
           status, attempt_count, next_attempt_at, next_trigger, lease_owner, lease_until, deadline_at, supersede_key,
           created_at, updated_at)
         SELECT u.id, e.project_id, e.id, e.type, e.message_id, u.dest, u.dest_type, u.webhook_id, u.uri,
           CASE WHEN u.leased THEN 'in_flight' ELSE 'pending' END, 0, e.created_at, 'scheduled',
           CASE WHEN u.leased THEN $20 END, CASE WHEN u.leased THEN e.created_at + $21::bigint END,
           e.deadline_at, e.supersede_key, e.created_at, e.created_at
         FROM unnest($13::int[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::boolean[])
           AS u(ev, id, dest, dest_type, webhook_id, uri, leased)
         JOIN e ON e.i = u.ev
       ), up AS (
         INSERT INTO destinations (id, project_id, in_flight, next_due_at)
         SELECT u.id, u.project_id, 0, u.due FROM unnest($22::text[], $23::text[], $24::bigint[]) AS u(id, project_id, due)
         -- Only rows this snapshot does not see: an insert that meets an existing row another
         -- transaction is updating (a claim, a bound being lowered) would wait for it, DO NOTHING or not.
         WHERE NOT EXISTS (SELECT 1 FROM destinations x WHERE x.id = u.id)
         ORDER BY u.id
         ON CONFLICT (id) DO NOTHING
       )
       SELECT ev.id, ev.project_id, ev.sequence, ev.type FROM ev`,
        [
          rows.map((r) => r.input.projectId),
          rows.map((r) => r.input.eventId),
          rows.map((r) => r.input.type),
          rows.map((r) => r.input.messageId),
          rows.map((r) => r.input.operation ?? null),
          rows.map((r) => r.input.body),
          rows.map((r) => r.input.idempotencyKey ?? null),
          rows.map((r) => r.deliveryIds.length),
          rows.map((r) => r.input.createdAt),
          rows.map((r) => r.input.deadlineAt),
          rows.map((r) => r.input.supersedeKey ?? null),
          rows.map(() => nextOrdinal(tx)),
          flat((_, i) => i + 1),
          flat((_, i, j) => rows[i]!.deliveryIds[j]!),
          flat((p, _, j) => p.destIds[j]!),
          flat((p, _, j) => p.destinations[j]!.destType),
          flat((p, _, j) => p.destinations[j]!.webhookId),
          flat((p, _, j) => p.destinations[j]!.uri),
          flat((_, i, j) => leasedOf[i]![j]!),
          owner?.owner ?? null,
          owner?.leaseMs ?? null,
          destIds,
          destIds.map((id) => dests.get(id)!.project),
          destIds.map((id) => dests.get(id)!.due),
        ],
      )
      .catch((err: unknown) => {
        // The event's project is a foreign key: a missing project fails the insert.
        if (codeOf(err) === FOREIGN_KEY_VIOLATION) throw new Error(`unknown project ${unknownProjects(rows)}`);
        throw err;
      });
    for (const r of inserted) sequences.set(r.id, r.sequence);
    announceEventsAfterCommit(
      tx,
      inserted.map((r) => ({ projectId: r.project_id, sequence: r.sequence, type: r.type })),
    );
  }
  const out = new Map<PreparedEmit, PgEmitResult>();
  for (const [i, { p, direct }] of fresh.entries()) {
    const { input, destinations, destIds: ids } = p;
    const sequence = sequences.get(input.eventId);
    if (sequence === undefined) throw new Error(`unknown project ${input.projectId}`);
    const row = emittedEventRow(input, sequence, destinations.length);
    if (input.supersedeKey !== undefined && destinations.length > 0) {
      // Supersedes what came before it, as if each event were written alone: never itself nor
      // a later event of this batch.
      await tx.run(
        `UPDATE deliveries SET status = 'cancelled', status_reason = 'superseded', next_attempt_at = NULL, updated_at = $1
         WHERE destination_id = ANY($2::text[]) AND supersede_key = $3 AND status = 'pending'
           AND NOT (event_id = ANY($4::text[]))`,
        [input.createdAt, ids, input.supersedeKey, rows.slice(i).map((r) => r.input.eventId)],
      );
    }
    const leased = leasedOf[i]!;
    const pendingDests = ids.filter((_, j) => !leased[j]);
    if (pendingDests.length > 0) lowerDueAfterCommit(tx, pendingDests, input.createdAt);
    const claimed = destinations.flatMap((d, j) =>
      leased[j] ? [directDeliveryRow(input, d, ids[j]!, rows[i]!.deliveryIds[j]!, direct!.lease).claimed] : [],
    );
    out.set(p, { event: toEvent(row), duplicate: false, direct: claimed });
  }
  return items.map(({ prepared }) => (prepared.duplicate ? { ...prepared.duplicate, direct: [] } : out.get(prepared)!));
}

function unknownProjects(rows: readonly { input: EmitInput }[]): string {
  return [...new Set(rows.map((r) => r.input.projectId))].join(', ');
}

/** An emit's result, with the deliveries it leased to this process's engine (DirectDispatch). */
export interface PgEmitResult extends EmitResult {
  direct: ClaimedDelivery[];
}
