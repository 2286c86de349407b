import type { CompleteAttemptInput } from '../../model/records.js';
import type { EndpointHealthPolicy } from '../../ports/endpoint-health.js';
import { attemptSettlement } from '../shared/attempt-settlement.js';
import { clearFullMarks, lowerDue } from './lower-due.js';
import type { Statements } from './pg-database.js';
import { writeAttemptRecords } from './record-attempts.js';

/**
 * The short way to record attempts: ONE statement on its own, no transaction around it (one round
 * trip where `BEGIN`, a locking read, the write and `COMMIT` take four). Each settlement is decided
 * (`attemptSettlement`, the same rule as every other path) from the delivery as the engine leased
 * it, and the statement records only the deliveries that are still so (`writeAttemptRecords`,
 * guarded): the usual case, where nothing touched a delivery while its attempt ran. What it
 * leaves (a lease the reaper took back, a record that may disable its webhook, two records of
 * one delivery) the caller records the long way, in a transaction (`completeAttemptsInTx`).
 * Then, as after that transaction's commit, the full marks of the destinations whose leases ended
 * are cleared and the bounds of retries lowered.
 *
 * Returns the inputs it did not record.
 */
export async function recordLeasedAttempts(
  db: Statements,
  inputs: readonly CompleteAttemptInput[],
  health: EndpointHealthPolicy | undefined,
): Promise<CompleteAttemptInput[]> {
  if (new Set(inputs.map((i) => i.delivery.id)).size < inputs.length) return [...inputs];
  const short = inputs.filter((i) => i.attempt !== null && !(health?.mayDisable(i) ?? false));
  if (short.length === 0) return [...inputs];
  const settled = short.map((input) => ({
    input,
    s: attemptSettlement(
      {
        status: 'in_flight',
        lease_owner: input.delivery.leaseOwner,
        attempt_count: input.delivery.attemptCount,
        last_status_code: null,
        last_error: null,
      },
      input,
    ),
  }));
  const recorded = new Map((await writeAttemptRecords(db, settled, true)).map((r) => [r.id, r]));
  const full = [...recorded.values()].filter((r) => r.dest_full).map((r) => r.destination_id);
  const due = new Map<string, number>();
  for (const { input, s } of settled) {
    const r = recorded.get(input.delivery.id);
    if (r && s.nextAt !== null) due.set(r.destination_id, Math.min(due.get(r.destination_id) ?? s.nextAt, s.nextAt));
  }
  // Hints, as after a commit: a failure costs speed (the reaper's round repairs them), never a record.
  if (full.length > 0) await clearFullMarks(db, full).catch(() => {});
  if (due.size > 0) await lowerDue(db, due).catch(() => {});
  return inputs.filter((i) => !recorded.has(i.delivery.id));
}
