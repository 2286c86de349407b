import { join } from 'node:path';
import type { Logger } from 'pino';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from '../ports/store.js';

/**
 * Opens the store the configuration asks for, migrated: PostgreSQL when `HERALD_DATABASE_URL`
 * is set (any number of processes on one database), else the SQLite file in the data dir
 * (one process).
 */
export async function openStore(
  config: { databaseUrl: string | undefined; dataDir: string },
  opts: { now: number; logger?: Logger },
): Promise<Store> {
  if (config.databaseUrl) {
    const log = opts.logger?.child({ component: 'store' });
    return PostgresStore.open(config.databaseUrl, {
      onListenerError: (err) => log?.warn({ err }, 'PostgreSQL LISTEN connection lost; reconnecting'),
    });
  }
  return SqliteStore.open(join(config.dataDir, 'herald.db'), { now: opts.now });
}
