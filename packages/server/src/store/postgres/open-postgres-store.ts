import { Kysely, PostgresDialect } from 'kysely';
import type { EndpointHealthPolicy } from '../../ports/endpoint-health.js';
import type { Store } from '../../ports/store.js';
import { migrateToLatest } from '../migrate.js';
import { pgAdminKeyRepo } from './admin-key-repo.js';
import { pgApiKeyRepo } from './api-key-repo.js';
import { pgDeliveryQueue } from './delivery-queue.js';
import { pgDeliveryRepo } from './delivery-repo.js';
import { PgEventEmitter } from './event-emitter.js';
import { pgEventLog } from './event-log.js';
import { pgFileRepo } from './file-repo.js';
import { PgNotifications } from './notifications.js';
import { announceEngines, readEngines } from './wake-share.js';
import { pgOperationRepo } from './operation-repo.js';
import type { PgContext } from './pg-context.js';
import { createPool, inTx, poolReader } from './pg-database.js';
import { pgPortalLinkRepo } from './portal-link-repo.js';
import { pgPortalSessionRepo } from './portal-session-repo.js';
import { pgProjectRepo } from './project-repo.js';
import { readWatermark, selectLatestSequences } from './event-order.js';
import { pgReadModels } from './read-models.js';
import { pgRetention } from './retention.js';
import { pgSigningKeyRepo } from './signing-key-repo.js';
import { pgWebhookRepo } from './webhook-repo.js';

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). The LISTEN connection is one more. */
  poolSize?: number;
  /**
   * Safety-net poll: `subscribe` listeners are also called this often, so a notification lost
   * (while the LISTEN connection reconnects) delays work by at most this much. Default 2 s.
   */
  pollMs?: number;
  /** Called with errors of the background LISTEN connection (it reconnects by itself). */
  onListenerError?: (err: unknown) => void;
  /**
   * The endpoint-health rule `completeAttempt` applies (delivery/endpoint-health.ts). Without it
   * no webhook is ever disabled for failed deliveries (store-level tests).
   */
  endpointHealth?: EndpointHealthPolicy;
  /**
   * Named prepared statements (default true): each connection parses a statement once and may keep
   * its plan. False for a pooler that cannot keep them (`HERALD_DATABASE_PREPARED_STATEMENTS`).
   */
  preparedStatements?: boolean | undefined;
}

/**
 * The scale-out store: any number of API and worker processes on one PostgreSQL database.
 * Connects, runs pending migrations (under Kysely's advisory migration lock), starts listening
 * and composes the ports. Every unit of work is one transaction on one pooled connection
 * (`inTx`); claims lock destinations `FOR UPDATE SKIP LOCKED` so per-destination caps hold
 * across processes; every commit that may make work due sends `NOTIFY` in the same transaction,
 * and a dedicated, reconnecting LISTEN connection turns those into `subscribe`,
 * `subscribeEvents` and `subscribeOperations` calls in every process, backed by a slow poll.
 */
export async function openPostgresStore(connectionString: string, opts: PostgresStoreOptions = {}): Promise<Store> {
  const pool = createPool(connectionString, opts.poolSize ?? 10, { preparedStatements: opts.preparedStatements });
  try {
    // Not destroyed afterwards: destroying Kysely would end the pool the store keeps using.
    await migrateToLatest(new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) }));
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  const ctx: PgContext = { pool, reader: poolReader(pool), tx: (fn, o) => inTx(pool, fn, o) };
  const emitter = new PgEventEmitter(pool);
  const notifications = new PgNotifications({
    connectionString,
    pollMs: opts.pollMs ?? 2000,
    latestSequences: () => selectLatestSequences(ctx.reader),
    watermark: (above) => readWatermark(ctx.reader, above),
    engines: () => readEngines(ctx.reader),
    announceEngines: () => announceEngines(ctx.reader),
    ...(opts.onListenerError ? { onListenerError: opts.onListenerError } : {}),
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await notifications.close();
    await pool.end();
  };
  try {
    await notifications.start();
  } catch (err) {
    await close();
    throw err;
  }
  return {
    dialect: 'postgres',
    async ping() {
      try {
        return (await ctx.reader.one('SELECT 1 AS ok')) !== undefined;
      } catch {
        return false;
      }
    },
    close,
    ...pgProjectRepo(ctx),
    ...pgApiKeyRepo(ctx),
    ...pgAdminKeyRepo(ctx),
    ...pgPortalLinkRepo(ctx),
    ...pgPortalSessionRepo(ctx),
    ...pgWebhookRepo(ctx),
    ...pgEventLog(ctx, emitter, notifications),
    ...pgDeliveryQueue(ctx, notifications, opts.endpointHealth),
    setDirectDispatch: (dispatch) => emitter.setDirectDispatch(dispatch),
    ...pgDeliveryRepo(ctx),
    ...pgReadModels(ctx),
    ...pgRetention(ctx),
    ...pgSigningKeyRepo(ctx),
    ...pgOperationRepo(ctx, notifications),
    ...pgFileRepo(ctx),
  };
}
