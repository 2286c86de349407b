import type { ClaimedDelivery } from '../../model/records.js';
import { toDelivery, type DeliveryRow } from '../rows/rows.js';
import type { ClaimInput } from '../../ports/store.js';
import type { Tx } from './pg-database.js';

type LoadedRow = DeliveryRow & { body: string; webhook_state: string | null };

/**
 * Leases due deliveries, fairly across destinations and safely across processes.
 *
 * Same destination-first strategy as SQLite (see sqlite/claim-due.ts), with row locks instead
 * of a single writer: the due DESTINATIONS below their cap are locked `FOR UPDATE SKIP LOCKED`
 * (another process claiming or completing for one of them is skipped, never waited for), so
 * while this transaction holds a destination nobody else can change its `in_flight` counter.
 * From each, at most `cap - in_flight` due deliveries are leased in one statement (a LATERAL
 * index probe per destination), then each destination's counter and `next_due_at` are written
 * back. The cap therefore holds across every process sharing the database.
 */
export async function claimDueInTx(tx: Tx, input: ClaimInput): Promise<ClaimedDelivery[]> {
  const { now, limit, maxPerDestination, leaseMs, owner } = input;
  if (limit <= 0) return [];
  const dests = await tx.rows<{ id: string; in_flight: number }>(
    `SELECT id, in_flight FROM destinations
     WHERE next_due_at <= $1 AND in_flight < $2
     ORDER BY next_due_at LIMIT $3
     FOR UPDATE SKIP LOCKED`,
    [now, maxPerDestination, Math.max(limit, 1) * 2],
  );
  if (dests.length === 0) return [];

  const rows = await tx.rows<LoadedRow>(
    `WITH want AS (
       SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) AS w(dest_id, room, ord)
     ), cand AS (
       SELECT c.id, w.ord, c.next_attempt_at FROM want w
       CROSS JOIN LATERAL (
         SELECT id, next_attempt_at FROM deliveries
         WHERE destination_id = w.dest_id AND status = 'pending' AND next_attempt_at <= $4
         ORDER BY next_attempt_at LIMIT w.room
       ) c
     ), chosen AS (
       SELECT id FROM cand ORDER BY ord, next_attempt_at LIMIT $5
     ), leased AS (
       UPDATE deliveries d SET status = 'in_flight', lease_owner = $6, lease_until = $7, updated_at = $4
       FROM chosen WHERE d.id = chosen.id AND d.status = 'pending'
       RETURNING d.*
     )
     SELECT leased.*, e.body AS body, w.state AS webhook_state
     FROM leased JOIN events e ON e.id = leased.event_id LEFT JOIN webhooks w ON w.id = leased.webhook_id`,
    [
      dests.map((d) => d.id),
      dests.map((d) => Math.min(maxPerDestination - d.in_flight, limit)),
      dests.map((_, i) => i),
      now,
      limit,
      owner,
      now + leaseMs,
    ],
  );

  // Every visited destination: add its new leases and recompute its lower bound (heals stale ones).
  const taken = new Map<string, number>();
  for (const r of rows) taken.set(r.destination_id, (taken.get(r.destination_id) ?? 0) + 1);
  await tx.run(
    `UPDATE destinations x SET in_flight = x.in_flight + u.n,
       next_due_at = (SELECT min(next_attempt_at) FROM deliveries
                      WHERE destination_id = x.id AND status = 'pending')
     FROM unnest($1::text[], $2::int[]) AS u(id, n) WHERE x.id = u.id`,
    [dests.map((d) => d.id), dests.map((d) => taken.get(d.id) ?? 0)],
  );

  const order = new Map(dests.map((d, i) => [d.id, i]));
  rows.sort(
    (a, b) =>
      (order.get(a.destination_id) ?? 0) - (order.get(b.destination_id) ?? 0) ||
      (a.next_attempt_at ?? 0) - (b.next_attempt_at ?? 0),
  );
  return rows.map((r) => ({
    ...toDelivery(r),
    body: r.body,
    webhookState: (r.webhook_state ?? null) as ClaimedDelivery['webhookState'],
    leaseOwner: owner,
  }));
}
