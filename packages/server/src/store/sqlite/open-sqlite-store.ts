import { Kysely, SqliteDialect } from 'kysely';
import type { EndpointHealthPolicy } from '../../ports/endpoint-health.js';
import type { Store } from '../../ports/store.js';
import { migrateToLatest } from '../migrate.js';
import { sqliteAdminKeyRepo } from './admin-key-repo.js';
import { sqliteApiKeyRepo } from './api-key-repo.js';
import { SqliteCommits } from './commits.js';
import { releaseExpiredLeasesInTx } from './complete-attempt.js';
import { sqliteDeliveryQueue, type SqliteDeliveryQueue } from './delivery-queue.js';
import { sqliteDeliveryRepo } from './delivery-repo.js';
import { SqliteEventEmitter } from './event-emitter.js';
import { sqliteEventLog } from './event-log.js';
import { sqliteFileRepo } from './file-repo.js';
import { openDatabase, type OpenDatabaseOptions } from './open-database.js';
import { sqliteOperationRepo } from './operation-repo.js';
import { sqlitePortalLinkRepo } from './portal-link-repo.js';
import { sqlitePortalSessionRepo } from './portal-session-repo.js';
import { sqliteProjectRepo } from './project-repo.js';
import { sqliteReadModels } from './read-models.js';
import { sqliteRetention } from './retention.js';
import { sqliteSigningKeyRepo } from './signing-key-repo.js';
import type { SqliteContext } from './sqlite-context.js';
import { SecretsCache } from './secrets-cache.js';
import { sqliteWebhookRepo } from './webhook-repo.js';

export interface SqliteStoreOptions extends OpenDatabaseOptions {
  /** Now, for returning the leases a previous process left (default `Date.now()`). */
  now?: number;
  /**
   * The endpoint-health rule `completeAttempt` applies (delivery/endpoint-health.ts). Without it
   * no webhook is ever disabled for failed deliveries (store-level tests).
   */
  endpointHealth?: EndpointHealthPolicy;
}

/** The SQLite store: every port, and direct dispatch always (the engine runs in the same process). */
export type SqliteStore = Store & SqliteDeliveryQueue;

/**
 * The embedded store: one SQLite file, one process (API and engine together). Opens the file,
 * runs migrations, returns leases left by a previous process to `pending`, and composes the
 * ports. better-sqlite3 is synchronous, so every unit of work runs its statements in one
 * `db.transaction`, atomically and without interleaving; methods return resolved promises.
 */
export async function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const db = openDatabase(file, options);
  const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: db }) });
  try {
    await migrateToLatest(kysely);
  } catch (err) {
    db.close();
    throw err;
  }
  const commits = new SqliteCommits(db, options.synchronous ?? 'FULL');
  const wakeListeners = new Set<() => void>();
  const ctx: SqliteContext = {
    db,
    commits,
    secrets: new SecretsCache(),
    wake() {
      for (const l of wakeListeners) l();
    },
    onWake(listener) {
      wakeListeners.add(listener);
      return () => wakeListeners.delete(listener);
    },
  };
  // One process owns a SQLite store: whatever was in flight when it last stopped is due again.
  commits.tx(() => releaseExpiredLeasesInTx(db, Number.MAX_SAFE_INTEGER, options.now ?? Date.now()));
  const emitter = new SqliteEventEmitter(db, commits, () => ctx.wake());
  return {
    dialect: 'sqlite',
    async ping() {
      return db.prepare('SELECT 1 AS ok').get() !== undefined;
    },
    async close() {
      await commits.close();
      if (db.open) db.close();
    },
    ...sqliteProjectRepo(ctx),
    ...sqliteApiKeyRepo(ctx),
    ...sqliteAdminKeyRepo(ctx),
    ...sqlitePortalLinkRepo(ctx),
    ...sqlitePortalSessionRepo(ctx),
    ...sqliteWebhookRepo(ctx),
    ...sqliteEventLog(ctx, emitter),
    ...sqliteDeliveryQueue(ctx, emitter, options.endpointHealth),
    ...sqliteDeliveryRepo(ctx),
    ...sqliteReadModels(ctx),
    ...sqliteRetention(ctx),
    ...sqliteSigningKeyRepo(ctx),
    ...sqliteOperationRepo(ctx),
    ...sqliteFileRepo(ctx),
  };
}
