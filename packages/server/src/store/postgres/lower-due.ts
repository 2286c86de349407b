import { randomBytes } from 'node:crypto';
import { CHANNELS } from './channels.js';
import type { Statements, Tx } from './pg-database.js';

/** Per transaction: the destinations its emits gave new deliveries, with the earliest due time. */
const pending = new WeakMap<Tx, Map<string, number>>();

/**
 * Lowers the `next_due_at` of the destinations an emit wrote deliveries for, AFTER its commit, and
 * then wakes the engines (ADR 0012). Inside the emit's transaction this update would lock each
 * destination row until commit, so every emit to a destination would queue behind the previous
 * one and behind every claim. After the commit it is one short statement per transaction:
 *
 * - It always takes the row (no "already due?" shortcut): a claim holding the row may be
 *   recomputing the lower bound from a snapshot that predates this commit; waiting for it and
 *   applying `least()` to its result means the new deliveries are never left without a bound.
 * - A crash between the commit and this statement leaves at most a destination whose bound is
 *   NULL while deliveries are pending; the reaper's round repairs those (`repairDueMarksInTx`).
 */
export function lowerDueAfterCommit(tx: Tx, destIds: readonly string[], dueAt: number): void {
  let due = pending.get(tx);
  if (!due) {
    const map = new Map<string, number>();
    pending.set(tx, map);
    tx.afterCommit((db) => lowerDue(db, map));
    due = map;
  }
  for (const id of destIds) due.set(id, Math.min(due.get(id) ?? dueAt, dueAt));
}

async function lowerDue(db: Statements, due: Map<string, number>): Promise<void> {
  const ids = [...due.keys()].sort();
  await db.run(
    // A hint the reaper repairs after a crash: its commit does not wait for the WAL flush.
    `WITH cfg AS (
       SELECT set_config('synchronous_commit', 'off', true)
     ), up AS (
       UPDATE destinations x SET next_due_at = least(x.next_due_at, u.due)
       FROM unnest($1::text[], $2::bigint[]) AS u(id, due),
         -- Rows taken in id order, as every unit that holds several does: no deadlock.
         (SELECT id FROM destinations WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE) AS l
       WHERE x.id = u.id AND l.id = u.id
     )
     SELECT pg_notify($3, $4) FROM cfg`,
    [ids, ids.map((id) => due.get(id)!), CHANNELS.wake, `emit:${randomBytes(6).toString('hex')}`],
  );
}

/**
 * Gives a lower bound back to destinations that have pending deliveries but none (a process that
 * died between an emit's commit and `lowerDueAfterCommit`). Run in the reaper's round.
 */
export async function repairDueMarksInTx(tx: Pick<Tx, 'run'>): Promise<number> {
  return tx.run(
    `UPDATE destinations d SET next_due_at = (
       SELECT min(next_attempt_at) FROM deliveries WHERE destination_id = d.id AND status = 'pending')
     WHERE d.next_due_at IS NULL
       AND EXISTS (SELECT 1 FROM deliveries WHERE destination_id = d.id AND status = 'pending')`,
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
 * (`clearStaleFullMarksInTx`) is the safety net.
 */
export function clearFullAfterCommit(tx: Tx, destId: string): void {
  let ids = ended.get(tx);
  if (!ids) {
    const set = new Set<string>();
    ended.set(tx, set);
    tx.afterCommit((db) =>
      db
        .run(
          `WITH cfg AS (
             SELECT set_config('synchronous_commit', 'off', true)
           )
           UPDATE destinations SET in_flight = 0 FROM cfg WHERE id IN (
             SELECT id FROM destinations WHERE id = ANY($1::text[]) AND in_flight > 0
             ORDER BY id FOR UPDATE)`,
          [[...set].sort()],
        )
        .then(() => undefined),
    );
    ids = set;
  }
  ids.add(destId);
}
