import Database from 'better-sqlite3';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** The data dir cannot be used as asked; the message says what to do. */
export class DataDirError extends Error {
  override name = 'DataDirError';
}

/** What {@link SqliteDataDir.problem} reports: why Herald cannot serve from this data dir now. */
export type DataDirProblem = 'database-lost' | 'disk-full';

const MARKER = 'herald-database';
/** Below this much free space on the data dir's filesystem Herald reports itself not ready. */
const MIN_FREE_BYTES = 1024 * 1024;

/**
 * The guard of a SQLite data dir, held for as long as Herald uses it:
 *
 * - **One process**: an exclusive SQLite lock on `<dir>/herald.lock`, held until `release()`.
 *   The operating system drops it when the process dies (even on SIGKILL), so there is no stale
 *   lock to clean up; a second Herald on the same dir is refused.
 * - **No silent empty start**: `<dir>/herald-database` records that a database was created
 *   there. When it exists and `herald.db` does not, the start is refused (restore the file from
 *   a backup) unless `allowEmpty` (`HERALD_ALLOW_EMPTY_DATABASE=1`).
 * - **A database deleted or replaced while running**, or a full disk, is reported by
 *   `problem()` (readiness fails) and `watch()` (a loud error, once).
 */
export class SqliteDataDir {
  readonly file: string;
  readonly #dir: string;
  readonly #lock: Database.Database;
  /** Held open on the database file: its inode cannot be reused, and `nlink` 0 means deleted. */
  #fd: number | undefined;
  #allowEmpty = false;
  #now = 0;
  #timer: NodeJS.Timeout | undefined;
  #reported = false;

  private constructor(dir: string, lock: Database.Database) {
    this.#dir = dir;
    this.file = join(dir, 'herald.db');
    this.#lock = lock;
  }

  /** Takes the data dir, or throws a DataDirError that says why not. */
  static acquire(dir: string, opts: { allowEmpty?: boolean; now?: number } = {}): SqliteDataDir {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const lockFile = join(dir, 'herald.lock');
    const lock = new Database(lockFile, { timeout: 0 });
    try {
      lock.pragma('locking_mode = EXCLUSIVE');
      lock.exec('BEGIN EXCLUSIVE');
    } catch (err) {
      lock.close();
      if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY'))
        throw new DataDirError(
          `another Herald process is using the data dir ${dir} (it holds ${lockFile}): stop it first, or give this one another HERALD_DATA_DIR; several processes on one database need PostgreSQL (HERALD_DATABASE_URL)`,
        );
      throw err;
    }
    const guard = new SqliteDataDir(dir, lock);
    guard.#allowEmpty = opts.allowEmpty ?? false;
    guard.#now = opts.now ?? Date.now();
    try {
      guard.#checkNotEmptied();
    } catch (err) {
      guard.release();
      throw err;
    }
    return guard;
  }

  /**
   * Call once the database is open: records that a database exists in this dir, and holds the
   * file open to notice it deleted or replaced.
   */
  opened(): void {
    const marker = join(this.#dir, MARKER);
    if (!existsSync(marker) || this.#allowEmpty)
      writeFileSync(marker, `${JSON.stringify({ created: new Date(this.#now).toISOString() })}\n`, { mode: 0o600 });
    this.#fd = openSync(this.file, 'r');
  }

  /** Why Herald cannot serve from this data dir right now, or undefined. */
  problem(): DataDirProblem | undefined {
    if (this.#fd !== undefined) {
      const held = fstatSync(this.#fd);
      let ino: number | undefined;
      try {
        ino = statSync(this.file).ino;
      } catch {
        ino = undefined;
      }
      if (held.nlink === 0 || ino !== held.ino) return 'database-lost';
    }
    try {
      const fs = statfsSync(this.#dir);
      if (fs.bavail * fs.bsize < MIN_FREE_BYTES) return 'disk-full';
    } catch {
      // statfs unsupported: no verdict on space
    }
    return undefined;
  }

  /**
   * True once `watch()` has seen the database deleted or replaced (for good: Herald still writes
   * to the file it opened, which a restart no longer finds). Cheap: no system call.
   */
  lost(): boolean {
    return this.#reported;
  }

  /** Checks every `ms`; the first time the database is lost, calls `onLost` with what to do. */
  watch(ms: number, onLost: (message: string) => void): void {
    this.#timer = setInterval(() => {
      if (this.#reported || this.problem() !== 'database-lost') return;
      this.#reported = true;
      onLost(
        `the SQLite database ${this.file} was deleted or replaced while Herald runs: what is written now is lost at the next start. Stop Herald and restore the file from a backup`,
      );
    }, ms);
    this.#timer.unref();
  }

  /** Stops watching and drops the lock. */
  release(): void {
    clearInterval(this.#timer);
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    if (this.#lock.open) this.#lock.close();
  }

  #checkNotEmptied(): void {
    const marker = join(this.#dir, MARKER);
    if (existsSync(marker) && !existsSync(this.file) && !this.#allowEmpty) {
      let created = 'an earlier start';
      try {
        created = (JSON.parse(readFileSync(marker, 'utf8')) as { created?: string }).created ?? created;
      } catch {
        // an unreadable marker still says a database existed
      }
      throw new DataDirError(
        `herald.db is missing from ${this.#dir} but a database was created there on ${created}: restore it from a backup, or set HERALD_ALLOW_EMPTY_DATABASE=1 to start with an empty database (accepted events that were not delivered are then lost)`,
      );
    }
  }
}
