import type { EventNotice } from '../../model/event-notice.js';
import type { SqliteDatabase } from './open-database.js';

const pending = new WeakMap<SqliteDatabase, EventNotice[]>();

/**
 * Records, inside a transaction, that an event was appended. The store takes the notices after
 * the transaction commits and only then tells its event listeners, so nobody is woken for an
 * event that rolled back. Every code path that appends to `events` goes through `emitEventInTx`,
 * which calls this, so events emitted by any store method (operations, webhooks) are announced.
 */
export function noteEventAppended(db: SqliteDatabase, notice: EventNotice): void {
  let list = pending.get(db);
  if (!list) {
    list = [];
    pending.set(db, list);
  }
  list.push(notice);
}

/** Removes and returns the notices recorded since the last call (after a commit or a rollback). */
export function takeEventNotices(db: SqliteDatabase): EventNotice[] {
  const list = pending.get(db);
  if (!list || list.length === 0) return [];
  pending.delete(db);
  return list;
}

/** How many notices are recorded now: a mark to roll back to (`dropNoticesSince`). */
export function noticeMark(db: SqliteDatabase): number {
  return pending.get(db)?.length ?? 0;
}

/** Forgets the notices recorded after `mark`: their unit of work rolled back to its savepoint. */
export function dropNoticesSince(db: SqliteDatabase, mark: number): void {
  const list = pending.get(db);
  if (list && list.length > mark) list.length = mark;
}
