import type { CompleteAttemptInput } from '../../model/records.js';
import type { AttemptSettlement } from '../shared/attempt-settlement.js';
import type { Statements } from './pg-database.js';

/** An attempt to record, with how it moves its delivery on (`attemptSettlement`). */
export interface SettledAttempt {
  input: CompleteAttemptInput;
  s: AttemptSettlement;
}

/** A delivery the statement moved on, and whether its destination was marked full just before. */
export interface RecordedRow {
  id: string;
  destination_id: string;
  dest_full: boolean;
}

/**
 * Writes a batch of attempt rows and moves their deliveries on, in ONE statement however many:
 * the attempts inserted, the deliveries updated, and the webhooks that succeeded stamped (at most
 * about once a second: every success would otherwise queue on that row; a row another
 * transaction holds is skipped, that one is stamping it).
 *
 * `guarded: false`: inside a transaction that already holds the delivery rows (`FOR UPDATE`) and
 * decided each settlement from them. `guarded: true`: a statement on its own (it commits alone,
 * without waiting for the WAL flush), whose settlements were decided from the deliveries as the
 * engine leased them: it locks the rows itself, in id order, and records only those still so
 * (in flight, the same lease owner, the same attempt count); the others are left untouched for
 * the caller to record the long way. Returns the deliveries it moved on (with their destinations'
 * full marks only when guarded).
 */
export async function writeAttemptRecords(
  db: Statements,
  settled: readonly SettledAttempt[],
  guarded: boolean,
): Promise<RecordedRow[]> {
  const col = <T>(f: (x: SettledAttempt) => T) => settled.map(f);
  const succeeded = settled.filter(
    (x) => x.input.outcome.status === 'succeeded' && x.input.delivery.webhookId !== null,
  );
  // The rows are locked by their ids alone (the primary key: a condition on the status would let
  // the planner walk the in-flight index instead), then the guard is checked on what was locked.
  const source = guarded
    ? `WITH l AS (
         SELECT id, status, lease_owner, attempt_count FROM deliveries WHERE id = ANY($1::text[])
         ORDER BY id FOR UPDATE
       )
       SELECT u.* FROM u JOIN l ON l.id = u.id
       WHERE l.status = 'in_flight' AND l.lease_owner = u.owner AND l.attempt_count = u.count`
    : 'SELECT * FROM u';
  return db.rows<RecordedRow>(
    `WITH u AS (
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::bigint[], $5::real[], $6::int[], $7::text[],
         $8::text[], $9::text[], $10::boolean[], $11::boolean[], $12::text[], $13::text[], $14::bigint[],
         $15::int[], $16::text[], $17::bigint[], $20::text[], $21::int[])
       AS u(id, number, trigger, started_at, duration_ms, status_code, error_code, error_message, response_excerpt,
         attempted, settles, status, reason, next_at, last_code, last_error, now, owner, count)
     ), v AS (${source}), stamp AS (
       UPDATE webhooks SET last_success_at = $19::bigint WHERE id IN (
         SELECT id FROM webhooks WHERE id = ANY($18::text[]) AND coalesce(last_success_at, 0) < $19::bigint - 1000
         ORDER BY id FOR NO KEY UPDATE SKIP LOCKED)
     ), att AS (
       INSERT INTO attempts (delivery_id, number, trigger, started_at, duration_ms, status_code, error_code, error_message, response_excerpt)
       SELECT id, number, trigger, started_at, duration_ms, status_code, error_code, error_message, response_excerpt
       FROM v WHERE attempted
     ), up AS (
       UPDATE deliveries d SET
         status = CASE WHEN v.settles THEN v.status ELSE d.status END,
         status_reason = CASE WHEN v.settles THEN v.reason ELSE d.status_reason END,
         attempt_count = CASE WHEN v.settles THEN v.number ELSE greatest(d.attempt_count, v.number) END,
         next_attempt_at = CASE WHEN v.settles THEN v.next_at ELSE d.next_attempt_at END,
         next_trigger = CASE WHEN v.settles THEN 'scheduled' ELSE d.next_trigger END,
         lease_owner = CASE WHEN v.settles THEN NULL ELSE d.lease_owner END,
         lease_until = CASE WHEN v.settles THEN NULL ELSE d.lease_until END,
         last_status_code = CASE WHEN v.settles THEN v.last_code ELSE d.last_status_code END,
         last_error = CASE WHEN v.settles THEN v.last_error ELSE d.last_error END,
         updated_at = v.now
       -- The ANY gives the planner the index probe, whatever it guesses for the unnest.
       FROM v WHERE d.id = v.id AND d.id = ANY($1::text[])
       RETURNING d.id, d.destination_id
     )
     ${
       guarded
         ? `SELECT up.id, up.destination_id, coalesce(x.in_flight > 0, false) AS dest_full,
              set_config('synchronous_commit', 'off', true)
            FROM up LEFT JOIN destinations x ON x.id = up.destination_id`
         : // The caller read the full marks with its row locks: no destination read here.
           'SELECT up.id, up.destination_id, false AS dest_full FROM up'
     }`,
    [
      col((x) => x.input.delivery.id),
      col((x) => x.s.number),
      col((x) => x.input.attempt?.trigger ?? null),
      col((x) => x.input.attempt?.startedAt ?? null),
      col((x) => x.input.attempt?.durationMs ?? null),
      col((x) => x.input.attempt?.statusCode ?? null),
      col((x) => x.input.attempt?.errorCode ?? null),
      col((x) => x.input.attempt?.errorMessage ?? null),
      col((x) => x.input.attempt?.responseExcerpt ?? null),
      col((x) => x.input.attempt !== null),
      col((x) => x.s.settles),
      col((x) => x.input.outcome.status),
      col((x) => x.s.reason),
      col((x) => x.s.nextAt),
      col((x) => x.s.lastStatusCode),
      col((x) => x.s.lastError),
      col((x) => x.input.now),
      [...new Set(succeeded.map((x) => x.input.delivery.webhookId!))],
      Math.max(0, ...succeeded.map((x) => x.input.now)),
      col((x) => x.input.delivery.leaseOwner),
      col((x) => x.input.delivery.attemptCount),
    ],
  );
}
