import { randomBytes } from 'node:crypto';
import { CHANNELS } from './channels.js';
import type { EventNotice } from '../../model/event-notice.js';
import type { Statements, Tx } from './pg-database.js';

/** Per transaction: what its commit leaves to say (see `hintsOf`). */
interface Hints {
  /** The destinations its emits gave new deliveries, with the earliest due time. */
  due: Map<string, number>;
  /** Its events' notices (`herald_events` payloads). */
  notices: string[];
}
const hints = new WeakMap<Tx, Hints>();

/** A transaction's hints, sent after its commit in ONE statement (`lowerDue`). */
function hintsOf(tx: Tx): Hints {
  let h = hints.get(tx);
  if (!h) {
    const created: Hints = { due: new Map(), notices: [] };
    hints.set(tx, created);
    tx.afterCommit((db) => lowerDue(db, created.due, created.notices));
    h = created;
  }
  return h;
}

/**
 * Lowers the `next_due_at` of the destinations an emit (or a retry's record) wrote pending
 * deliveries for, AFTER its commit, and then wakes the engines (ADR 0012). Inside the emit's
 * transaction this update would lock each destination row until commit, so every emit to a
 * destination would queue behind the previous one and behind every claim.
 *
 * A destination already due no later than the new deliveries is not touched (no lock, no write,
 * no wake-up): on a busy destination that is every emit. The one bound this could leave too high
 * is one a claim was recomputing from a snapshot that predates this commit while it held the row;
 * that claim checks its raised bounds after its own commit (`recheckRaisedAfterCommit`), when it
 * sees these deliveries. A crash between a commit and these statements leaves at most a
 * destination whose bound is missing while deliveries are pending; the reaper's round repairs
 * those (`healDestinationsInTx`).
 */
export function lowerDueAfterCommit(tx: Tx, destIds: readonly string[], dueAt: number): void {
  const due = hintsOf(tx).due;
  for (const id of destIds) due.set(id, Math.min(due.get(id) ?? dueAt, dueAt));
}

/**
 * Announces committed events on `herald_events` after the commit, in the statement that lowers the
 * bounds (one round trip for both), which does not wait for the WAL flush. Inside the emit's
 * transaction the NOTIFY would take PostgreSQL's one notification-queue lock at commit and hold it
 * through the commit's WAL flush, so every durable emit commit of every process would queue behind
 * the previous one (measured: 7–23 % of active sessions waiting on `Lock:object`). A notice is only
 * a hint to live readers, who read the log after their own cursor and also on every heartbeat: one
 * lost in a crash between the commit and this statement delays them, it never loses an event.
 */
export function announceEventsAfterCommit(tx: Tx, notices: readonly (EventNotice & { type: string })[]): void {
  if (notices.length > 0) hintsOf(tx).notices.push(...notices.map((n) => JSON.stringify(n)));
}

/**
 * Lowers the bounds of these destinations to these due times where that lowers them, and sends
 * these event notices (see above).
 */
export function lowerDue(
  db: Statements,
  due: ReadonlyMap<string, number>,
  notices: readonly string[] = [],
): Promise<void> {
  const ids = [...due.keys()].sort();
  return lowerBounds(
    db,
    'SELECT * FROM unnest($1::text[], $2::bigint[]) AS u(id, due)',
    [ids, ids.map((id) => due.get(id)!)],
    notices,
  );
}

/**
 * After a claim's commit: the destinations whose bound it raised (left none, or one in the future)
 * get the earliest due time of their pending deliveries back where that is lower. The claim
 * computed those bounds from its snapshot; a delivery committed after it, whose emit saw the
 * destination still due and left it alone, is visible now. Usually nothing is pending there and
 * this reads one index entry. Paused destinations are not passed: their bound is the pause end.
 */
export function recheckRaisedAfterCommit(tx: Tx, destIds: readonly string[]): void {
  if (destIds.length === 0) return;
  const ids = [...destIds].sort();
  tx.afterCommit((db) =>
    lowerBounds(
      db,
      // One min() per destination: PostgreSQL answers each from the first entry of the pending
      // index; grouped, it would read every pending delivery of them (a retry backlog).
      `SELECT u.id, m.due FROM unnest($1::text[]) AS u(id) CROSS JOIN LATERAL (
         SELECT min(next_attempt_at) AS due FROM deliveries WHERE destination_id = u.id AND status = 'pending'
       ) m WHERE m.due IS NOT NULL`,
      [ids],
    ),
  );
}

/**
 * Sets `next_due_at = least(next_due_at, due)` for the `(id, due)` rows `source` selects, where
 * that lowers it. Rows are taken in id order, as every unit that holds several does (no deadlock);
 * one another unit holds and that looks already due is not waited for. The wake-up is sent only
 * when a bound moved: an engine already knows a destination that was due. The bound is a hint the
 * reaper repairs after a crash, so the commit does not wait for the WAL flush.
 */
async function lowerBounds(
  db: Statements,
  source: string,
  values: unknown[],
  notices: readonly string[] = [],
): Promise<void> {
  const n = values.length;
  await db.run(
    `WITH u AS (${source}), l AS (
       SELECT x.id, u.due FROM destinations x JOIN u ON u.id = x.id
       WHERE x.next_due_at IS NULL OR x.next_due_at > u.due
       ORDER BY x.id FOR UPDATE OF x
     ), up AS (
       UPDATE destinations x SET next_due_at = least(x.next_due_at, l.due) FROM l
       WHERE x.id = l.id AND (x.next_due_at IS NULL OR x.next_due_at > l.due)
       RETURNING 1
     )
     SELECT set_config('synchronous_commit', 'off', true),
       (SELECT pg_notify($${n + 1}, $${n + 2}) WHERE EXISTS (SELECT 1 FROM up)),
       (SELECT count(pg_notify($${n + 3}, p)) FROM unnest($${n + 4}::text[]) AS e(p))`,
    [...values, CHANNELS.wake, `due:${randomBytes(6).toString('hex')}`, CHANNELS.events, notices],
  );
}

/** Per transaction: the destinations whose leases ended in it (their full marks to clear). */
const ended = new WeakMap<Tx, Set<string>>();

/**
 * Clears the full mark of a destination one of whose leases ended, after the commit. A row that is
 * marked is waited for if another unit holds it (an emit leasing directly, a claim, a bound being
 * lowered), then cleared: this statement holds no other row, so the wait is short and blocks
 * nobody. A destination that is not marked is not touched. Marks are set only by a unit whose
 * own new leases filled the destination (they clear it as they end); the reaper's round
 * (`healDestinationsInTx`) is the safety net.
 */
export function clearFullAfterCommit(tx: Tx, destId: string): void {
  let ids = ended.get(tx);
  if (!ids) {
    const set = new Set<string>();
    ended.set(tx, set);
    // A destination that was full is claimable again: the wake-up lets every engine compete for it
    // (an emit to a destination that is already due wakes nobody, so without it the process that
    // filled the destination would keep it to itself).
    tx.afterCommit((db) => clearFullMarks(db, set));
    ids = set;
  }
  ids.add(destId);
}

/** Clears the full marks of these destinations, and wakes the engines if one was set (see above). */
export async function clearFullMarks(db: Statements, destIds: Iterable<string>): Promise<void> {
  await db.run(
    `WITH c AS (
       UPDATE destinations SET in_flight = 0 WHERE id IN (
         SELECT id FROM destinations WHERE id = ANY($1::text[]) AND in_flight > 0
         ORDER BY id FOR UPDATE)
       RETURNING 1
     )
     SELECT set_config('synchronous_commit', 'off', true),
       (SELECT pg_notify($2, $3) WHERE EXISTS (SELECT 1 FROM c))`,
    [[...new Set(destIds)].sort(), CHANNELS.wake, `freed:${randomBytes(6).toString('hex')}`],
  );
}
