import type { ClaimedDelivery } from '../../model/records.js';
import type { ClaimInput, ClaimResult } from '../../ports/delivery-queue.js';
import { toDelivery, toSecret, type DeliveryRow, type SecretRow } from '../rows/rows.js';
import { ClaimShare } from '../shared/project-share.js';
import { CLAIM_DUE_ONE_SQL, CLAIM_DUE_SQL } from './claim-due-sql.js';
import { inStatements } from './in-statements.js';
import { recheckRaisedAfterCommit } from './lower-due.js';
import type { PgContext } from './pg-context.js';
import type { Tx } from './pg-database.js';

type LoadedRow = DeliveryRow & {
  /** `CLAIM_DUE_ONE_SQL` only. */
  next_due_after?: number | null;
  body: string;
  webhook_state: string | null;
  raised_ids: string[];
  dest_ord: number | null;
  secrets: SecretRow[] | null;
};

/**
 * Leases due deliveries, fairly across destinations and safely across processes.
 *
 * Same destination-first strategy as SQLite (see sqlite/delivery-queue.ts), with row locks instead
 * of a single writer: the due DESTINATIONS are locked `FOR UPDATE SKIP LOCKED` (another process
 * claiming one of them is skipped, never waited for), so while the claim holds a destination nobody
 * else leases from it. Its leases are COUNTED (the `deliveries_in_flight` index), so the cap holds
 * across every process without a counter that each attempt record would have to update (ADR 0012).
 * From each, at most `cap - leases` due deliveries are leased by one statement (`claim-due-sql.ts`:
 * a LATERAL index probe per destination, the chosen rows updated by their versions, a plan that
 * does not depend on the statistics) that also recomputes each destination's `next_due_at` and
 * marks one left at its cap full (`in_flight` holds its lease count, else 0): claims skip it until
 * an attempt record clears the mark.
 *
 * Usually every destination has the same room (nothing paused or probing, and a total no project's
 * share can exceed: `ClaimShare.roomForAny`): then ONE statement locks the destinations and leases,
 * committing by itself. Otherwise a transaction locks them first and gives each its own room.
 */
export async function claimDue(ctx: PgContext, input: ClaimInput): Promise<ClaimResult> {
  const { now, limit, maxPerDestination, leaseMs, owner } = input;
  const share = new ClaimShare(input.projectShare, input.probeOnly);
  if (limit <= 0) return { deliveries: [] };
  const paused = input.paused ?? [];
  if (paused.length === 0 && (input.probeOnly ?? []).length === 0) {
    const most = Math.min(limit, share.roomForAny());
    return inStatements(ctx.pool, async (t) => {
      const rows = await t.rows<LoadedRow>(CLAIM_DUE_ONE_SQL, [
        share.full(),
        Math.max(limit, 1) * 2,
        Math.min(maxPerDestination, most),
        now,
        most,
        owner,
        now + leaseMs,
        maxPerDestination,
      ]);
      const nextDueAt = rows[0]?.next_due_after ?? null;
      return { deliveries: leased(t, owner, rows), nextDueAt };
    });
  }
  // A claim lost in a crash leaves its deliveries pending: no flush to wait for.
  return ctx.tx(
    async (t) => {
      // Paused destinations (ClaimInput.paused): their lower bound moves to the pause end in one
      // statement (rows another process holds are skipped, never waited for; the walk below
      // leaves paused ids out either way).
      if (paused.length > 0)
        await t.run(
          `WITH p AS (SELECT * FROM unnest($1::text[], $2::bigint[]) AS p(id, until)),
             locked AS (
               SELECT x.id, p.until FROM destinations x JOIN p ON p.id = x.id
               WHERE x.next_due_at < p.until ORDER BY x.id FOR UPDATE OF x SKIP LOCKED
             )
             UPDATE destinations x SET next_due_at = locked.until FROM locked WHERE x.id = locked.id`,
          [paused.map((p) => p.destinationId), paused.map((p) => p.until)],
        );
      const dests = await t.rows<{ id: string; project_id: string }>(
        `SELECT id, project_id FROM destinations
           WHERE next_due_at <= $1 AND in_flight < $2 AND NOT (project_id = ANY($4::text[]))
             AND NOT (id = ANY($5::text[]))
           ORDER BY next_due_at LIMIT $3
           FOR UPDATE SKIP LOCKED`,
        [now, maxPerDestination, Math.max(limit, 1) * 2, share.full(), paused.map((p) => p.destinationId)],
      );
      if (dests.length === 0) return { deliveries: [] };
      const deliveries = leased(
        t,
        owner,
        await t.rows<LoadedRow>(CLAIM_DUE_SQL, [
          dests.map((d) => d.id),
          dests.map((d) => {
            const room = Math.max(0, Math.min(share.cap(d.id, maxPerDestination), limit, share.room(d.project_id)));
            share.take(d.project_id, room);
            return room;
          }),
          dests.map((_, i) => i),
          now,
          limit,
          owner,
          now + leaseMs,
          maxPerDestination,
          dests.map((d) => share.cap(d.id, maxPerDestination)),
        ]),
      );
      return { deliveries };
    },
    { asyncCommit: true },
  );
}

/** The leased rows as claimed deliveries, in destination order then due order; the raised bounds rechecked after commit. */
function leased(t: Tx, owner: string, rows: LoadedRow[]): ClaimedDelivery[] {
  recheckRaisedAfterCommit(t, rows[0]?.raised_ids ?? []);
  // No lease at all comes back as the one row that carries `raised_ids`.
  if (rows.length === 1 && rows[0]!.id === null) rows.pop();
  rows.sort((a, b) => (a.dest_ord ?? 0) - (b.dest_ord ?? 0) || (a.next_attempt_at ?? 0) - (b.next_attempt_at ?? 0));
  return rows.map((r) => ({
    ...toDelivery(r),
    body: r.body,
    webhookState: (r.webhook_state ?? null) as ClaimedDelivery['webhookState'],
    leaseOwner: owner,
    ...(r.webhook_id !== null ? { secrets: (r.secrets ?? []).map(toSecret) } : {}),
  }));
}
