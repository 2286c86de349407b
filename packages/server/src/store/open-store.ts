import { join } from 'node:path';
import type { Logger } from 'pino';
import type { EndpointHealthPolicy } from '../ports/endpoint-health.js';
import type { Store } from '../ports/store.js';
import { openPostgresStore } from './postgres/open-postgres-store.js';
import { openSqliteStore } from './sqlite/open-sqlite-store.js';

/**
 * Opens the store the configuration asks for, migrated: PostgreSQL when `HERALD_DATABASE_URL`
 * is set (any number of processes on one database), else the SQLite file in the data dir
 * (one process). `endpointHealth` is the rule `completeAttempt` applies to static webhooks
 * (delivery/endpoint-health.ts, injected here so the store does not import delivery/).
 */
export async function openStore(
  config: { databaseUrl?: string | undefined; dataDir: string },
  opts: { now: number; logger?: Logger; endpointHealth: EndpointHealthPolicy },
): Promise<Store> {
  if (config.databaseUrl) {
    const log = opts.logger?.child({ component: 'store' });
    return openPostgresStore(config.databaseUrl, {
      onListenerError: (err) => log?.warn({ err }, 'PostgreSQL LISTEN connection lost; reconnecting'),
      endpointHealth: opts.endpointHealth,
    });
  }
  return openSqliteStore(join(config.dataDir, 'herald.db'), { now: opts.now, endpointHealth: opts.endpointHealth });
}
