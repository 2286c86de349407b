import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /** `synchronous=FULL` (default) makes every accepted event survive power loss. */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * Opens (creating if needed) the SQLite file with the pragmas the outbox relies on:
 * WAL, `synchronous=FULL`, foreign keys, a busy timeout. The file is created 0600 (SQLite gives
 * its `-wal` and `-shm` the mode of the database), whatever the umask, and an existing
 * database, WAL or shm file readable by others is tightened to 0600.
 */
export function openDatabase(file: string, { synchronous = 'FULL' }: OpenDatabaseOptions = {}): SqliteDatabase {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  cacheStatements(db);
  return db;
}

/**
 * Makes `db.prepare(sql)` return one cached statement per SQL text. Preparing is the largest
 * CPU cost of a short query in better-sqlite3 (profiled at ~15 % of event ingest), and every
 * store function prepares its statements inline. Statements are stateless between runs as long
 * as nobody switches them to `pluck`/`raw`/`expand` mode — don't; prepare a separate SQL text.
 */
function cacheStatements(db: SqliteDatabase): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, ReturnType<typeof prepare>>();
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (stmt === undefined) {
      stmt = prepare(sql);
      if (cache.size < 2000) cache.set(sql, stmt);
    }
    return stmt;
  }) as typeof db.prepare;
}
