import type { SqliteDatabase } from './open-database.js';

/** Runs functions in transactions of one database, through wrappers built once. */
export interface Transactions {
  /** `fn` in a `BEGIN IMMEDIATE` transaction, or in a savepoint when one is already open. */
  immediate<T>(fn: () => T): T;
  /** `fn` in a savepoint of the open transaction (a plain `BEGIN` when none is open). */
  nested<T>(fn: () => T): T;
}

const byDatabase = new WeakMap<SqliteDatabase, Transactions>();

/**
 * The database's transaction runners. `db.transaction(fn)` builds four wrapper functions and
 * defines five properties on each at every call, which the hot paths (every group-commit unit,
 * every commit) paid each time: 2.5 % of the process under HTTP ingest. These wrappers take the
 * function to run as their argument, so they are built once per database.
 */
export function transactions(db: SqliteDatabase): Transactions {
  let t = byDatabase.get(db);
  if (t === undefined) {
    const run = db.transaction((fn: () => unknown) => fn());
    t = {
      immediate: <T>(fn: () => T) => run.immediate(fn) as T,
      nested: <T>(fn: () => T) => run(fn) as T,
    };
    byDatabase.set(db, t);
  }
  return t;
}
