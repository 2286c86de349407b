import type { ClaimedDelivery } from '../../model/records.js';
import type { DeliveryQueue } from '../../ports/delivery-queue.js';
import type { DirectDispatch } from '../../ports/direct-dispatch.js';
import type { EndpointHealthPolicy } from '../../ports/endpoint-health.js';
import { toDelivery, type DeliveryRow } from '../rows/rows.js';
import { ClaimShare } from '../shared/project-share.js';
import { completeAttemptInTx, releaseExpiredLeasesInTx } from './complete-attempt.js';
import type { SqliteEventEmitter } from './event-emitter.js';
import type { SqliteContext } from './sqlite-context.js';

/** SQLite always offers direct dispatch (the engine runs in the same process). */
export interface SqliteDeliveryQueue extends DeliveryQueue {
  setDirectDispatch(dispatch: DirectDispatch | undefined): void;
}

/**
 * The engine's side of the SQLite outbox. Claims and attempt records commit `relaxed` (see
 * SqliteCommits); attempt records in their own group commit.
 */
export function sqliteDeliveryQueue(
  ctx: SqliteContext,
  emitter: SqliteEventEmitter,
  health: EndpointHealthPolicy | undefined,
): SqliteDeliveryQueue {
  const { db, commits } = ctx;
  return {
    subscribe: (listener) => ctx.onWake(listener),
    setDirectDispatch: (dispatch) => emitter.setDirectDispatch(dispatch),

    /**
     * Leases due deliveries, fairly across destinations.
     *
     * Strategy: walk DESTINATIONS ordered by `next_due_at` (a lower bound of their earliest due
     * delivery) and skip those already at the in-flight cap; from each, take at most
     * `cap - in_flight` due deliveries through the (destination_id, status, next_attempt_at) index.
     * A destination with a million-row backlog therefore costs one index probe per claim and
     * never hides another destination's due work (the "lock the queue first" strategy that
     * graphile-worker measured at ~20× the per-job check). Every visited destination gets its
     * `next_due_at` recomputed, so stale lower bounds heal themselves.
     */
    async claimDue({ now, limit, maxPerDestination, leaseMs, owner, projectShare, paused = [], probeOnly }) {
      const share = new ClaimShare(projectShare, probeOnly);
      return commits.relaxed(() =>
        commits.tx(() => {
          // Paused destinations (ClaimInput.paused): their lower bound moves to the pause end, in
          // one statement, so the walk below passes over them; nothing is written when already there.
          if (paused.length > 0)
            db.prepare(
              `UPDATE destinations SET next_due_at = p.until
               FROM (SELECT value ->> '$.destinationId' AS id, value ->> '$.until' AS until FROM json_each(?)) p
               WHERE destinations.id = p.id AND destinations.next_due_at < p.until`,
            ).run(JSON.stringify(paused));
          const dests = db
            .prepare<[number, number, string, number], { id: string; project_id: string; in_flight: number }>(
              `SELECT id, project_id, in_flight FROM destinations
               WHERE next_due_at IS NOT NULL AND next_due_at <= ? AND in_flight < ?
                 AND project_id NOT IN (SELECT value FROM json_each(?))
               ORDER BY next_due_at LIMIT ?`,
            )
            .all(now, maxPerDestination, JSON.stringify(share.full()), Math.max(limit, 1) * 2);

          const pick = db.prepare<[string, number, number], { id: string }>(
            `SELECT id FROM deliveries WHERE destination_id = ? AND status = 'pending' AND next_attempt_at <= ?
             ORDER BY next_attempt_at LIMIT ?`,
          );
          const lease = db.prepare(
            `UPDATE deliveries SET status = 'in_flight', lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?`,
          );
          const settle = db.prepare(
            `UPDATE destinations SET in_flight = in_flight + ?,
               next_due_at = (SELECT min(next_attempt_at) FROM deliveries WHERE destination_id = ? AND status = 'pending')
             WHERE id = ?`,
          );

          const ids: string[] = [];
          for (const d of dests) {
            const room = Math.min(
              share.cap(d.id, maxPerDestination) - d.in_flight,
              limit - ids.length,
              share.room(d.project_id),
            );
            const rows = room > 0 ? pick.all(d.id, now, room) : [];
            share.take(d.project_id, rows.length);
            for (const r of rows) {
              lease.run(owner, now + leaseMs, now, r.id);
              ids.push(r.id);
            }
            settle.run(rows.length, d.id, d.id);
            if (ids.length >= limit) break;
          }
          // The next due time is one in-process read away (`nextDueAt`): not read here.
          if (ids.length === 0) return { deliveries: [] };

          const load = db.prepare<[string], DeliveryRow & { body: string; webhook_state: string | null }>(
            `SELECT d.*, e.body AS body, w.state AS webhook_state FROM deliveries d
             JOIN events e ON e.id = d.event_id LEFT JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?`,
          );
          const deliveries = ids.map((id): ClaimedDelivery => {
            const r = load.get(id)!;
            return {
              ...toDelivery(r),
              body: r.body,
              webhookState: (r.webhook_state ?? null) as ClaimedDelivery['webhookState'],
              leaseOwner: owner,
            };
          });
          return { deliveries };
        }),
      );
    },

    async completeAttempt(input) {
      await commits.attempts.run(() => completeAttemptInTx(db, input, health));
      // A lease ended: its destination may be below its cap again, or a retry was scheduled.
      ctx.wake();
    },

    async releaseExpiredLeases(now) {
      const n = commits.tx(() => releaseExpiredLeasesInTx(db, now));
      if (n > 0) ctx.wake();
      return n;
    },

    /** Earliest `next_due_at` of a destination below its in-flight cap, or null. */
    async nextDueAt(maxPerDestination, skipProjects = []) {
      const r = db
        .prepare<[number, string], { next_due_at: number }>(
          `SELECT next_due_at FROM destinations WHERE next_due_at IS NOT NULL AND in_flight < ?
             AND project_id NOT IN (SELECT value FROM json_each(?)) ORDER BY next_due_at LIMIT 1`,
        )
        .get(maxPerDestination, JSON.stringify(skipProjects));
      return r ? r.next_due_at : null;
    },
  };
}
