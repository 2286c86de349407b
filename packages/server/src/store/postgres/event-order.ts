import type { Tx } from './pg-database.js';
import type { EventNotice } from '../../model/event-notice.js';

/**
 * Event order on PostgreSQL without a row lock (ADR 0012). An event's `sequence` is
 * `xid × 4096 + n`: the 64-bit id of the transaction that appends it (`pg_current_xact_id()`, which
 * never wraps) and its place among that transaction's events. Numbers therefore grow with the
 * transaction ids, with gaps, and two emitting transactions never wait on each other.
 *
 * Transaction ids are handed out in start order, not commit order, so an event may become visible
 * after one with a higher number. Readers only see events below the **watermark**: 4096 × the
 * oldest transaction of this database still running in their snapshot. Every transaction below
 * it has ended, so nothing can later appear under a cursor a reader has passed.
 */
export const EVENTS_PER_TRANSACTION = 4096;

/** SQL for the next event's sequence in this transaction; `ordinal` is the placeholder of `n`. */
export function eventSequenceSql(ordinal: string): string {
  return `(pg_current_xact_id()::text::bigint * ${EVENTS_PER_TRANSACTION} + ${ordinal}::bigint)`;
}

/**
 * SQL for the watermark of the statement's snapshot: the oldest transaction the snapshot sees as
 * running, times 4096, or its `xmax` when none runs. Transactions that pg_stat_activity shows in
 * ANOTHER database cannot append to this one's event log, so they are left out: a long
 * transaction elsewhere on the server does not hold this log back. A transaction that ended
 * between the snapshot and that read stays in (erring towards waiting, never towards skipping).
 */
export const WATERMARK_SQL = `(WITH s AS (SELECT pg_current_snapshot() AS snap)
  SELECT coalesce(
    (SELECT min(x) FROM s, pg_snapshot_xip(s.snap) AS x
     WHERE (x::text::bigint % 4294967296) NOT IN (
       SELECT backend_xid::text::bigint FROM pg_stat_activity
       WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database())),
    (SELECT pg_snapshot_xmax(s.snap) FROM s))::text::bigint * ${EVENTS_PER_TRANSACTION})`;

const ordinals = new WeakMap<Tx, number>();

/** `n` for the next event appended in this transaction (0, 1, …); a rerun gets a fresh Tx. */
export function nextOrdinal(tx: Tx): number {
  const n = ordinals.get(tx) ?? 0;
  if (n >= EVENTS_PER_TRANSACTION) {
    throw new Error(`one transaction may append at most ${EVENTS_PER_TRANSACTION} events`);
  }
  ordinals.set(tx, n + 1);
  return n;
}

/**
 * The watermark now (one round trip), at least high enough to tell whether `above` is visible:
 * when the server-wide oldest running transaction is already past it, that cheap bound answers
 * and pg_stat_activity is not read.
 */
export async function readWatermark(db: Pick<Tx, 'one'>, above = 0): Promise<number> {
  const r = await db.one<{ w: number }>(
    `SELECT CASE WHEN pg_snapshot_xmin(pg_current_snapshot())::text::bigint * ${EVENTS_PER_TRANSACTION} > $1::bigint
       THEN pg_snapshot_xmin(pg_current_snapshot())::text::bigint * ${EVENTS_PER_TRANSACTION}
       ELSE ${WATERMARK_SQL} END AS w`,
    [above],
  );
  return r?.w ?? 0;
}

/** Every project's latest visible event (re-announced after the LISTEN connection reconnects). */
export async function selectLatestSequences(db: Pick<Tx, 'rows'>): Promise<EventNotice[]> {
  const rows = await db.rows<{ project_id: string; sequence: number | null }>(
    `SELECT p.id AS project_id,
       (SELECT max(e.sequence) FROM events e WHERE e.project_id = p.id AND e.sequence < ${WATERMARK_SQL}) AS sequence
     FROM projects p`,
  );
  return rows.flatMap((r) => (r.sequence === null ? [] : [{ projectId: r.project_id, sequence: r.sequence }]));
}
