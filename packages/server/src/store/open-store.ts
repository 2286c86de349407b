import { join } from 'node:path';
import type { Logger } from 'pino';
import type { EndpointHealthPolicy } from '../ports/endpoint-health.js';
import type { Store } from '../ports/store.js';
import { connectWithRetry } from './postgres/connect-retry.js';
import { openPostgresStore } from './postgres/open-postgres-store.js';
import { openSqliteStore } from './sqlite/open-sqlite-store.js';
import { explainUnreadableDatabase } from './sqlite/unreadable-database.js';

/**
 * Opens the store the configuration asks for, migrated: PostgreSQL when `HERALD_DATABASE_URL`
 * is set (any number of processes on one database), else the SQLite file in the data dir
 * (one process). A PostgreSQL that cannot be reached is retried with backoff, logging what to
 * check; an unreadable SQLite file is a ConfigError naming it. `endpointHealth` is the rule `completeAttempt` applies to static webhooks
 * (delivery/endpoint-health.ts, injected here so the store does not import delivery/).
 */
export async function openStore(
  config: { databaseUrl?: string | undefined; dataDir: string; preparedStatements?: boolean | undefined },
  opts: {
    now: number;
    logger?: Logger;
    endpointHealth: EndpointHealthPolicy;
    /** Waits between connection attempts to an unreachable PostgreSQL (tests inject one). */
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<Store> {
  if (config.databaseUrl) {
    const url = config.databaseUrl;
    const log = opts.logger?.child({ component: 'store' });
    return connectWithRetry(
      () =>
        openPostgresStore(url, {
          onListenerError: (err) => log?.warn({ err }, 'PostgreSQL LISTEN connection lost; reconnecting'),
          endpointHealth: opts.endpointHealth,
          preparedStatements: config.preparedStatements,
        }),
      {
        url,
        warn: (message, retryInMs) => log?.warn({ retryInMs }, message),
        sleep: opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      },
    );
  }
  const file = join(config.dataDir, 'herald.db');
  try {
    return await openSqliteStore(file, { now: opts.now, endpointHealth: opts.endpointHealth });
  } catch (err) {
    throw explainUnreadableDatabase(file, err);
  }
}
