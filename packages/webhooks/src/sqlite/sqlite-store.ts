/**
 * An idempotency store in a SQLite file (`better-sqlite3`, optional peer dependency).
 * @module
 */

import type { IdempotencyStore } from '../receiver/idempotency-store.js';

/** The parts of a `better-sqlite3` `Database` this store uses. */
export interface SqliteDatabaseLike {
  exec(sql: string): unknown;
  prepare(sql: string): { run(...params: unknown[]): { changes: number } };
  close(): unknown;
}

/** Options of {@link createSqliteIdempotencyStore}. */
export interface SqliteIdempotencyStoreOptions {
  /** Database file, opened with `better-sqlite3` (WAL, `busy_timeout` 5 s). Ignored with `database`. */
  filename?: string;
  /** An open `better-sqlite3` database to use instead (not closed by `close()`). */
  database?: SqliteDatabaseLike;
  /** Table name (created if missing). Default `'herald_webhook_ids'`. */
  table?: string;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Expired rows are purged every this many claims. Default `1_000`. */
  purgeEvery?: number;
}

/**
 * `IdempotencyStore` backed by one SQLite table. A claim is a single
 * `INSERT … ON CONFLICT DO UPDATE … WHERE expired` statement, so it is atomic across the
 * processes sharing the file.
 *
 * @example
 * ```ts
 * const store = await createSqliteIdempotencyStore({ filename: './webhooks.db' });
 * ```
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  readonly #db: SqliteDatabaseLike;
  readonly #owned: boolean;
  readonly #now: () => number;
  readonly #purgeEvery: number;
  readonly #claim: ReturnType<SqliteDatabaseLike['prepare']>;
  readonly #release: ReturnType<SqliteDatabaseLike['prepare']>;
  readonly #purge: ReturnType<SqliteDatabaseLike['prepare']>;
  #claims = 0;

  /** Use {@link createSqliteIdempotencyStore}, which loads `better-sqlite3`. */
  constructor(db: SqliteDatabaseLike, owned: boolean, options: SqliteIdempotencyStoreOptions = {}) {
    const table = options.table ?? 'herald_webhook_ids';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new TypeError(`Invalid table name: ${table}`);
    this.#db = db;
    this.#owned = owned;
    this.#now = options.now ?? Date.now;
    this.#purgeEvery = options.purgeEvery ?? 1_000;
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID`);
    this.#claim = db.prepare(
      `INSERT INTO ${table} (key, expires_at) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE ${table}.expires_at <= ?`,
    );
    this.#release = db.prepare(`DELETE FROM ${table} WHERE key = ?`);
    this.#purge = db.prepare(`DELETE FROM ${table} WHERE expires_at <= ?`);
  }

  /** @inheritdoc */
  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    const now = this.#now();
    if (++this.#claims % this.#purgeEvery === 0) this.purgeExpired();
    return this.#claim.run(key, now + Math.round(ttlSeconds * 1000), now).changes === 1;
  }

  /** @inheritdoc */
  async release(key: string): Promise<void> {
    this.#release.run(key);
  }

  /** Deletes expired rows; returns how many. */
  purgeExpired(): number {
    return this.#purge.run(this.#now()).changes;
  }

  /** Closes the database if this store opened it. */
  close(): void {
    if (this.#owned) this.#db.close();
  }
}

/**
 * Opens (or reuses) a SQLite database and returns a {@link SqliteIdempotencyStore}.
 * `better-sqlite3` is loaded with a dynamic `import()` only when `filename` is used.
 *
 * @example
 * ```ts
 * import { createSqliteIdempotencyStore } from '@herald/webhooks/sqlite';
 *
 * const store = await createSqliteIdempotencyStore({ filename: '/var/lib/app/webhooks.db' });
 * const receiver = createWebhookReceiver({ verifier, store });
 * ```
 */
export async function createSqliteIdempotencyStore(
  options: SqliteIdempotencyStoreOptions,
): Promise<SqliteIdempotencyStore> {
  if (options.database) return new SqliteIdempotencyStore(options.database, false, options);
  if (!options.filename) throw new TypeError('createSqliteIdempotencyStore needs filename or database');
  let Database: typeof import('better-sqlite3');
  try {
    Database = (await import('better-sqlite3')).default;
  } catch (cause) {
    throw new Error('@herald/webhooks/sqlite needs the optional peer dependency better-sqlite3', { cause });
  }
  const db = new Database(options.filename);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return new SqliteIdempotencyStore(db, true, options);
}
