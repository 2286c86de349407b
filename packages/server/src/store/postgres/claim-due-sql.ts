/**
 * The claim's leasing statement (see `claimDue` in delivery-queue.ts), in two forms that share
 * everything after the destinations they lease from:
 *
 * - `CLAIM_DUE_SQL`, the second statement of a claim transaction, leases from the due destinations
 *   the first statement locked. Parameters: $1 destination ids, $2 room per destination, $3 order,
 *   $4 now, $5 limit, $6 lease owner, $7 lease end, $8 cap, $9 cap per destination.
 * - `CLAIM_DUE_ONE_SQL` locks the due destinations itself and commits by itself (one round trip
 *   where the transaction takes four), for a claim whose every destination has the same room: no
 *   paused or probe-only destination, and a total (`$5`) no project's share can exceed. Parameters:
 *   $1 projects to leave out (at their share), $2 most destinations, $3 room per destination,
 *   $4–$8 as above. It also answers when to look again (`next_due_after`), which the engine
 *   would otherwise read with one more round trip after the claim.
 *
 * Their plans must not depend on the table statistics: they are taken by autovacuum, up to a
 * minute late, and usually when nothing is pending, while a claim matters most in a burst
 * (`claim-due-sql.pg.test.ts` plans both with statistics taken on empty tables).
 */
/**
 * The earliest `next_due_at` of a destination below its cap (`cap`), outside the projects in
 * `skip` (a text array) and, when given, outside `except` (a text array): the engine's next look.
 * One rule for `nextDueAt` and for the claim that answers it itself.
 */
export const nextDueSql = (cap: string, skip: string, except?: string) =>
  `SELECT d.next_due_at FROM destinations d
   WHERE d.next_due_at IS NOT NULL AND d.in_flight < ${cap} AND NOT (d.project_id = ANY(${skip}))${
     except ? ` AND NOT (d.id = ANY(${except}))` : ''
   }
   ORDER BY d.next_due_at LIMIT 1`;

const leaseFrom = (asked: string, asyncCommit: string, nextDue = '') => `WITH ${asked}, counted AS (
    -- Counted once every row is locked, with a snapshot of its own (migration 0011): leases a
    -- claim committed between this statement's start and a lock count too.
    SELECT a.*, coalesce(c.leases, 0) AS leases
    FROM asked a LEFT JOIN herald_destination_leases((SELECT array_agg(dest_id) FROM asked)) c
      ON c.destination_id = a.dest_id
  ), want AS (
    SELECT dest_id, ord, leases, least(room, cap - leases) AS room FROM counted
  ), cand AS (
    SELECT c.tid, w.ord, c.next_attempt_at FROM want w
    CROSS JOIN LATERAL (
      SELECT ctid AS tid, next_attempt_at FROM deliveries
      WHERE destination_id = w.dest_id AND status = 'pending' AND next_attempt_at <= $4
      ORDER BY next_attempt_at LIMIT greatest(w.room, 0)
    ) c
  ), chosen AS (
    SELECT tid FROM cand ORDER BY ord, next_attempt_at LIMIT $5
  ), leased AS (
    -- By the row versions the walk read (a TID scan, whatever the statistics say: joined by
    -- id, a planner that believes nothing is pending walks the whole pending index once per
    -- chosen row). A version another transaction replaced since (a cancellation) is re-checked
    -- as it is now by the guard, which does not rely on how a TID scan re-checks, and taken only
    -- if still pending; the guard is spelled so that it cannot steer the planner to that
    -- pending-only index either (claim-due-sql.pg.test.ts covers both).
    UPDATE deliveries d SET status = 'in_flight', lease_owner = $6, lease_until = $7, updated_at = $4
    WHERE d.ctid = ANY(ARRAY(SELECT tid FROM chosen)) AND NOT (d.status IS DISTINCT FROM 'pending')
    RETURNING d.*
  ), taken AS (
    SELECT array_agg(id) AS ids FROM leased
  ), marks AS (
    -- Every visited destination: its lower bound recomputed (heals stale ones) and, when its
    -- leases reach the cap, the full mark. One statement: the rows are held one round trip less.
    UPDATE destinations x SET
      -- The earliest pending one not leased now: an index walk that stops there (the leased
      -- ones are the earliest), not an aggregate over the destination's whole backlog.
      next_due_at = (SELECT p.next_attempt_at FROM deliveries p
                     WHERE p.destination_id = x.id AND p.status = 'pending'
                       AND NOT (p.id = ANY(coalesce((SELECT ids FROM taken), '{}')))
                     ORDER BY p.next_attempt_at LIMIT 1),
      -- Full only if THIS claim's leases filled it: they will clear the mark as they end. A
      -- count that includes a lease ending right now never sets a mark nobody would clear.
      in_flight = CASE WHEN n.taken > 0 AND w.leases + n.taken >= $8 THEN w.leases + n.taken ELSE 0 END
    FROM want w CROSS JOIN LATERAL (
      SELECT count(*)::int AS taken FROM leased l WHERE l.destination_id = w.dest_id
    ) n
    WHERE x.id = w.dest_id
    RETURNING x.id, x.next_due_at, x.in_flight
  ), raised AS (
    -- Bounds this claim raised (none left, or one in the future): rechecked after commit.
    SELECT coalesce(array_agg(id), '{}') AS ids${asyncCommit} FROM marks WHERE next_due_at IS NULL OR next_due_at > $4
  )
  SELECT l.*, e.body AS body, w.state AS webhook_state, r.ids AS raised_ids,${nextDue}
    (SELECT a.ord FROM asked a WHERE a.dest_id = l.destination_id) AS dest_ord,
    -- The signer's secrets, newest first (as webhook-repo orders them): no read per attempt.
    (SELECT json_agg(s ORDER BY s.created_at DESC, s.ctid DESC) FROM webhook_secrets s
     WHERE s.webhook_id = l.webhook_id AND (s.expire_at IS NULL OR s.expire_at > $4)) AS secrets
  FROM raised r LEFT JOIN (
    leased l JOIN events e ON e.id = l.event_id LEFT JOIN webhooks w ON w.id = l.webhook_id
  ) ON true`;

export const CLAIM_DUE_SQL = leaseFrom(
  `asked AS (
    SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $9::int[]) AS w(dest_id, room, ord, cap)
  )`,
  '',
);

export const CLAIM_DUE_ONE_SQL = leaseFrom(
  `locked AS (
    SELECT id, next_due_at FROM destinations
    WHERE next_due_at <= $4 AND in_flight < $8 AND NOT (project_id = ANY($1::text[]))
    ORDER BY next_due_at LIMIT $2
    FOR UPDATE SKIP LOCKED
  ), asked AS (
    SELECT id AS dest_id, $3::int AS room, (row_number() OVER (ORDER BY next_due_at, id))::int AS ord, $8::int AS cap
    FROM locked
  )`,
  // A claim lost in a crash leaves its deliveries pending: its commit need not wait for the WAL flush.
  `, set_config('synchronous_commit', 'off', true) AS async`,
  // When to look again (what `nextDueAt` would read once this commits): the earliest bound of the
  // other destinations below their cap, and of the visited ones as this claim leaves them.
  `
    least(
      (${nextDueSql('$8', '$1::text[]', 'ARRAY(SELECT dest_id FROM asked)')}),
      (SELECT min(m.next_due_at) FROM marks m WHERE m.in_flight < $8)
    ) AS next_due_after,`,
);
