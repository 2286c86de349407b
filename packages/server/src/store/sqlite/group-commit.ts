import { dropNoticesSince, noticeMark } from './event-notices.js';
import type { SqliteDatabase } from './open-database.js';
import { transactions, type Transactions } from './transactions.js';

interface Pending {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for the hot writes (events with their deliveries, attempt records): units of
 * work submitted in the same turn of the event loop share ONE transaction, so one fsync
 * (WalSync, off the event loop) covers many of them. Each unit runs in its own savepoint (a nested
 * better-sqlite3 transaction), so a failing unit rolls back alone; every caller gets its own
 * result or error only after the shared commit.
 */
export class GroupCommit {
  readonly #db: SqliteDatabase;
  readonly #tx: Transactions;
  readonly #commit: (fn: () => void) => (() => void) | undefined;
  #pending: Pending[] = [];
  #queued = false;

  readonly #maxUnits: number;
  readonly #durable: (() => Promise<void>) | undefined;

  /**
   * `commit(fn)` runs `fn` in the store's outer transaction; what it returns (announcing what was
   * committed) runs once the commit is durable, just before the callers hear of it.
   * At most `maxUnits` units share one commit, so one flush never holds the event loop for long;
   * the rest go in the next turn. With `durable`, callers learn their outcome only once it
   * resolves (the WAL fsync, see WalSync): accepted means on disk.
   */
  constructor(
    db: SqliteDatabase,
    commit: (fn: () => void) => (() => void) | undefined,
    { maxUnits = 32, durable }: { maxUnits?: number; durable?: () => Promise<void> } = {},
  ) {
    this.#db = db;
    this.#tx = transactions(db);
    this.#commit = commit;
    this.#maxUnits = maxUnits;
    this.#durable = durable;
  }

  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#queued) {
        this.#queued = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits whatever is pending now (also called before the database closes). */
  flush(): void {
    this.#queued = false;
    const batch = this.#pending.splice(0, this.#maxUnits);
    if (this.#pending.length > 0) {
      this.#queued = true;
      setImmediate(() => this.flush());
    }
    if (batch.length === 0) return;
    if (!this.#db.open) {
      for (const item of batch) item.reject(new Error('store is closed'));
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    let announce: (() => void) | undefined;
    try {
      announce = this.#commit(() => {
        for (const item of batch) {
          const mark = noticeMark(this.#db);
          try {
            outcomes.push({ ok: true, value: this.#tx.nested(item.fn) });
          } catch (error) {
            // The unit rolled back to its savepoint: nobody is told of events it had appended.
            dropNoticesSince(this.#db, mark);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    const settle = () => {
      announce?.();
      batch.forEach((item, i) => {
        const o = outcomes[i]!;
        if (o.ok) item.resolve(o.value);
        else item.reject(o.error);
      });
    };
    if (this.#durable === undefined) return settle();
    // Committed but possibly not on disk: nobody hears "accepted" before the fsync.
    this.#durable().then(settle, (error: unknown) => {
      for (const item of batch) item.reject(error);
    });
  }
}
