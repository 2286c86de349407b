import type { Tx } from './pg-database.js';

/**
 * One healing statement: `set` on the destinations matching `where` (both over `d`), each taken in
 * id order and skipped while another transaction holds it, never waited for; a later round heals
 * it. A plain `UPDATE` locks rows in scan order, and against the statements that lock destinations
 * in id order it closed deadlock cycles (seen with four workers: a second lost to each).
 */
const healFree = (where: string, set: string) =>
  `WITH l AS (SELECT d.id FROM destinations d WHERE ${where} ORDER BY d.id FOR UPDATE OF d SKIP LOCKED)
   UPDATE destinations d SET ${set} FROM l WHERE d.id = l.id`;

/**
 * The reaper round's safety nets on destination rows (ADR 0012), returning how many it healed:
 * - a "full" mark no lease backs any more is cleared (an attempt record clears its destination's
 *   mark unless it raced the claim that set it; if every lease ended in that race, nothing else
 *   would);
 * - a lower bound is given back to a destination with pending deliveries but none (a process that
 *   died between an emit's commit and `lowerDueAfterCommit`).
 */
export async function healDestinationsInTx(tx: Pick<Tx, 'run'>): Promise<number> {
  const unmarked = await tx.run(
    healFree(
      `d.in_flight > 0 AND NOT EXISTS (SELECT 1 FROM deliveries WHERE destination_id = d.id AND status = 'in_flight')`,
      'in_flight = 0',
    ),
  );
  const bounded = await tx.run(
    healFree(
      `d.next_due_at IS NULL AND EXISTS (SELECT 1 FROM deliveries WHERE destination_id = d.id AND status = 'pending')`,
      `next_due_at = (SELECT min(next_attempt_at) FROM deliveries WHERE destination_id = d.id AND status = 'pending')`,
    ),
  );
  return unmarked + bounded;
}
