import type { ClaimedDelivery, CompleteAttemptInput } from '../../model/records.js';
import { CLAIM_DUE_SQL } from './claim-due-sql.js';
import { PgGroupCommit } from './group-commit.js';
import type { DeliveryQueue } from '../../ports/delivery-queue.js';
import type { EndpointHealthPolicy } from '../../ports/endpoint-health.js';
import { toDelivery, toSecret, type DeliveryRow, type SecretRow } from '../rows/rows.js';
import { ClaimShare } from '../shared/project-share.js';
import { completeAttemptsInTx, releaseExpiredLeasesInTx } from './complete-attempt.js';
import { healDestinationsInTx } from './heal-destinations.js';
import { recheckRaisedAfterCommit } from './lower-due.js';
import type { PgNotifications } from './notifications.js';
import type { PgContext } from './pg-context.js';
import { recordLeasedAttempts } from './record-leased.js';

type LoadedRow = DeliveryRow & {
  body: string;
  webhook_state: string | null;
  raised_ids: string[];
  secrets: SecretRow[] | null;
};

/** The engine's side of the PostgreSQL outbox; work that falls due is announced over LISTEN/NOTIFY. */
export function pgDeliveryQueue(
  { pool, reader, tx }: PgContext,
  notifications: PgNotifications,
  health: EndpointHealthPolicy | undefined,
): DeliveryQueue {
  const records = new PgGroupCommit<CompleteAttemptInput, void>({
    pool,
    batch: async (t, inputs) => {
      await completeAttemptsInTx(t, inputs, health);
      return inputs.map(() => undefined);
    },
    // Most records are of deliveries nobody touched while their attempt ran: one statement each batch.
    alone: (db, inputs) => recordLeasedAttempts(db, inputs, health),
    one: (input) => tx((t) => completeAttemptsInTx(t, [input], health), { asyncCommit: true }),
    maxFlushers: 2,
    // A worker's attempts finish a few at a time: waiting 1 ms lets them share one statement
    // (4.7 records a statement became 10–12 with two workers; see docs/benchmarks.md, session 12).
    lingerMs: 1,
    // A record lost in a crash costs a repeated attempt (at least once), never a lost delivery.
    asyncCommit: true,
  });
  return {
    subscribe: (listener) => notifications.subscribe(listener),

    /**
     * Leases due deliveries, fairly across destinations and safely across processes.
     *
     * Same destination-first strategy as SQLite (see sqlite/delivery-queue.ts), with row locks instead
     * of a single writer: the due DESTINATIONS are locked `FOR UPDATE SKIP LOCKED` (another process
     * claiming one of them is skipped, never waited for), so while this transaction holds a
     * destination nobody else leases from it. Its leases are COUNTED (the `deliveries_in_flight`
     * index), so the cap holds across every process without a counter that each attempt record
     * would have to update (ADR 0012). From each, at most `cap - leases` due deliveries are
     * leased by one statement (`claim-due-sql.ts`: a LATERAL index probe per destination, the
     * chosen rows updated by their versions, a plan that does not depend on the statistics) that
     * also recomputes each destination's `next_due_at` and marks one left at its cap full
     * (`in_flight` holds its lease count, else 0): claims skip it until an attempt record clears
     * the mark.
     */
    async claimDue(input) {
      const { now, limit, maxPerDestination, leaseMs, owner } = input;
      const share = new ClaimShare(input.projectShare, input.probeOnly);
      if (limit <= 0) return [];
      const paused = input.paused ?? [];
      // A claim lost in a crash leaves its deliveries pending: no flush to wait for.
      return tx(
        async (t): Promise<ClaimedDelivery[]> => {
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
          if (dests.length === 0) return [];

          const rows = await t.rows<LoadedRow>(CLAIM_DUE_SQL, [
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
          ]);

          recheckRaisedAfterCommit(t, rows[0]?.raised_ids ?? []);
          // No lease at all comes back as the one row that carries `raised_ids`.
          if (rows.length === 1 && rows[0]!.id === null) rows.pop();
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
            ...(r.webhook_id !== null ? { secrets: (r.secrets ?? []).map(toSecret) } : {}),
          }));
        },
        { asyncCommit: true },
      );
    },

    /** Attempt records share commits (`PgGroupCommit`), in destination order within one. */
    async completeAttempt(input) {
      await records.submit(input);
    },

    async releaseExpiredLeases(now) {
      let total = 0;
      for (;;) {
        const n = await tx((t) => releaseExpiredLeasesInTx(t, now));
        total += n;
        if (n < 1000) break;
      }
      const healed = await tx(healDestinationsInTx);
      if (healed > 0) notifications.wake();
      return total;
    },

    /** When the next delivery falls due at a destination with room (for the engine's timer). */
    async nextDueAt(maxPerDestination, skipProjects = []) {
      const r = await reader.one<{ next_due_at: number }>(
        `SELECT next_due_at FROM destinations WHERE next_due_at IS NOT NULL AND in_flight < $1
           AND NOT (project_id = ANY($2::text[])) ORDER BY next_due_at LIMIT 1`,
        [maxPerDestination, skipProjects],
      );
      return r ? r.next_due_at : null;
    },
  };
}
