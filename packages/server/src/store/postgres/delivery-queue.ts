import type { CompleteAttemptInput } from '../../model/records.js';
import { claimDue } from './claim-due.js';
import { nextDueSql } from './claim-due-sql.js';
import { PgGroupCommit } from './group-commit.js';
import type { DeliveryQueue } from '../../ports/delivery-queue.js';
import type { EndpointHealthPolicy } from '../../ports/endpoint-health.js';
import { completeAttemptsInTx, releaseExpiredLeasesInTx } from './complete-attempt.js';
import { healDestinationsInTx } from './heal-destinations.js';
import type { PgNotifications } from './notifications.js';
import type { PgContext } from './pg-context.js';
import { recordLeasedAttempts } from './record-leased.js';

/** The engine's side of the PostgreSQL outbox; work that falls due is announced over LISTEN/NOTIFY. */
export function pgDeliveryQueue(
  ctx: PgContext,
  notifications: PgNotifications,
  health: EndpointHealthPolicy | undefined,
): DeliveryQueue {
  const { pool, reader, tx } = ctx;
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

    claimDue: (input) => claimDue(ctx, input),

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
      const r = await reader.one<{ next_due_at: number }>(nextDueSql('$1', '$2::text[]'), [
        maxPerDestination,
        skipProjects,
      ]);
      return r ? r.next_due_at : null;
    },
  };
}
