import type { EventNotice } from '../../model/event-notice.js';
import { takeEventNotices } from './event-notices.js';
import { GroupCommit } from './group-commit.js';
import type { SqliteDatabase } from './open-database.js';
import { transactions, type Transactions } from './transactions.js';
import { WalSync } from './wal-sync.js';

/**
 * How the SQLite store commits: one transaction per unit of work, announcing the events it
 * appended to `subscribeEvents` listeners once committed; group commits for the hot writes
 * (events, attempt records); and the durability level of each.
 * - Events: committed at `synchronous=NORMAL`, then fsynced on the thread pool (WalSync); their
 *   notices and their callers (the API's 200, the engine) wait for the fsync. Accepted means durable.
 * - Claims and attempt records: `relaxed` (see there).
 * - Everything else: the configured level (`FULL` by default), synchronously.
 */
export class SqliteCommits {
  readonly #db: SqliteDatabase;
  readonly #tx: Transactions;
  readonly #durable: 'FULL' | 'NORMAL';
  readonly #walSync: WalSync | undefined;
  readonly #eventListeners = new Set<(notice: EventNotice) => void>();
  /** Events with their deliveries. */
  readonly events: GroupCommit;
  /** Attempt records, without waiting for the disk. */
  readonly attempts: GroupCommit;

  constructor(db: SqliteDatabase, durable: 'FULL' | 'NORMAL') {
    this.#db = db;
    this.#tx = transactions(db);
    this.#durable = durable;
    const walSync = durable === 'FULL' && !db.memory ? new WalSync(`${db.name}-wal`) : undefined;
    this.#walSync = walSync;
    this.events = walSync
      ? new GroupCommit(db, (fn) => this.relaxed(() => this.#journalInMemory(() => this.#commitQuietly(fn))), {
          durable: () => walSync.sync(),
        })
      : new GroupCommit(db, (fn) => {
          this.#journalInMemory(() => this.tx(fn));
          return undefined;
        });
    const relaxedCommit = (fn: () => void) => {
      this.relaxed(() => this.tx(fn));
      return undefined;
    };
    this.attempts = new GroupCommit(db, relaxedCommit, { maxUnits: 64 });
  }

  /**
   * Runs a commit at `synchronous=NORMAL` (no fsync; WAL still makes it crash-safe for the
   * process, only a power cut can drop it). Used for claims and attempt records, where losing
   * the last commits costs a duplicate, never a loss: every lease is released at open, and a
   * lost attempt record means the same delivery (same webhook-id) is sent again. Events are
   * accepted only after WalSync's fsync (or a FULL commit), which also covers earlier NORMAL frames.
   */
  relaxed<T>(fn: () => T): T {
    if (this.#durable === 'NORMAL') return fn();
    this.#db.pragma('synchronous = NORMAL');
    try {
      return fn();
    } finally {
      this.#db.pragma(`synchronous = ${this.#durable}`);
    }
  }

  /**
   * Runs an emit commit with SQLite's statement journal in memory (`temp_store = MEMORY`), then
   * goes back to the default. Every unit of a group commit runs in its own savepoint, and SQLite
   * keeps the first image of each page a savepoint touches in that journal: in memory up to
   * 64 KiB, then in a temp file it creates, writes page by page and deletes in each transaction.
   * An emit touches 15-odd pages (an event, its deliveries, their indexes), so nearly every emit
   * commit spilled: 19 `pwrite` calls an event and a temp file opened and unlinked per commit
   * (strace), a third of an emit's CPU. An emit commit is bounded (at most 32 units of at most
   * 1,000 events; new rows go to fresh pages, which are never journaled), so its journal stays
   * small. Other transactions keep the default, so an unbounded one (a project's deletion, a
   * webhook's backlog cancelled) journals to a file rather than to memory.
   */
  #journalInMemory<T>(fn: () => T): T {
    this.#db.pragma('temp_store = MEMORY');
    try {
      return fn();
    } finally {
      this.#db.pragma('temp_store = DEFAULT');
    }
  }

  /** One unit of work in one transaction (`BEGIN IMMEDIATE`); its events are announced after. */
  tx<T>(fn: () => T): T {
    let result: T;
    try {
      result = this.#tx.immediate(fn);
    } catch (err) {
      takeEventNotices(this.#db); // rolled back: nothing to announce
      throw err;
    }
    this.#announce(takeEventNotices(this.#db));
    return result;
  }

  /** Commits like `tx`, and returns the announcement of what it committed instead of making it. */
  #commitQuietly(fn: () => void): () => void {
    try {
      this.#tx.immediate(fn);
    } catch (err) {
      takeEventNotices(this.#db);
      throw err;
    }
    const notices = takeEventNotices(this.#db);
    return () => this.#announce(notices);
  }

  #announce(notices: EventNotice[]): void {
    for (const n of notices) {
      for (const l of this.#eventListeners) {
        try {
          l(n);
        } catch {
          // A listener's failure must not fail the committed unit of work.
        }
      }
    }
  }

  subscribeEvents(listener: (notice: EventNotice) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  /** Commits what the groups hold and waits for the fsyncs under way (before the database closes). */
  async close(): Promise<void> {
    this.events.flush();
    this.attempts.flush();
    await this.#walSync?.close();
  }
}
