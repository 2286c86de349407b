import type { Logger } from 'pino';
import type { Agent } from 'undici';
import { ClosingConnections } from '../http/closing-connections.js';
import { buildApp } from './app.js';
import { bootstrapAdminKey, type AdminKeyBoot } from './admin-key.js';
import { bootstrapDefaultProject, type DefaultProject } from './default-project.js';
import { loadConfig, type HeraldConfig } from './config.js';
import { loadOrCreateMasterKey, masterKeyFile } from '../keys/master-key.js';
import { createSecretBox } from '../keys/secret-box.js';
import { LiveBus } from '../dashboard/live-bus.js';
import { deriveSessionSecret } from '../dashboard/session.js';
import { createDeliveryAgent } from '../delivery/transport/http-agent.js';
import { sendAttempt } from '../delivery/transport/send-attempt.js';
import { AdaptiveTimeouts, withAdaptiveTimeout } from '../delivery/transport/adaptive-timeout.js';
import type { AttemptRequest } from '../delivery/settle.js';
import { systemClock, type Clock } from '../kernel/clock.js';
import { createEngine, type Engine, type EngineOptions } from '../delivery/engine.js';
import { createEndpointHealth } from '../delivery/endpoint-health.js';
import { createWebhookSigner } from '../delivery/signing/webhook-signer.js';
import { createDeliverySigner } from '../delivery/signing/delivery-signer.js';
import { createDynamicSigner } from '../delivery/signing/dynamic-signer.js';
import { EventFeed } from '../services/event-feed.js';
import { checkMasterKey } from '../keys/check-master-key.js';
import { ensureSigningKeys } from '../keys/ensure-signing-keys.js';
import { createKeyRing } from '../delivery/signing/key-ring.js';
import { SigningKeyService } from '../keys/signing-key-service.js';
import { EventService } from '../services/event-service.js';
import { ProjectLimits } from '../services/project-limits.js';
import { IngestRateLimit } from '../services/ingest-rate-limit.js';
import type { Executor } from '../operations/runner/executor-types.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import type { OperationService } from '../operations/operation-service.js';
import { createOperationsRuntime } from './operations-runtime.js';
import { warnIfExposed } from './exposure-warning.js';
import { ListenerHub } from '../services/listener-hub.js';
import { ListenerService } from '../services/listener-service.js';
import { ReplayService } from '../services/replay-service.js';
import { openStore } from '../store/open-store.js';
import { SqliteDataDir } from '../store/sqlite/data-dir-guard.js';
import { ensureWritableDataDir } from './writable-data-dir.js';
import { createRetentionRunner } from '../delivery/retention.js';
import type { Store } from '../ports/store.js';
import { WebhookService } from '../services/webhook-service.js';
import { PublicUrl } from './public-url.js';
import { deliveryAgentOptions } from './delivery-agent-options.js';

export interface HeraldOptions {
  /** Configuration; missing fields come from the environment and defaults (see `loadConfig`). */
  config?: Partial<HeraldConfig>;
  logger?: Logger;
  /** Injected time, for tests. */
  clock?: Clock;
  random?: () => number;
  /** Observe every recorded attempt (tests, benchmarks). */
  onAttempt?: EngineOptions['onAttempt'];
}

export interface Herald {
  readonly config: HeraldConfig;
  readonly store: Store;
  readonly engine: Engine;
  readonly app: Awaited<ReturnType<typeof buildApp>>;
  readonly logger: Logger;
  /** The default project's id and API key. */
  readonly projectId: string;
  readonly apiKey: string;
  readonly apiKeyGenerated: boolean;
  /** Where the default key came from (`env`: HERALD_API_KEY; `file`: `<dataDir>/api-key`). */
  readonly apiKeySource: DefaultProject['source'];
  /** The HERALD_API_KEY given was revoked over the API: it does not authenticate. */
  readonly apiKeyRevoked: boolean;
  /** The admin key (admin plane: projects, portal links, instance-wide settings). */
  readonly adminKey: string;
  /** Where it came from (`env`: HERALD_ADMIN_KEY; `file`: `<dataDir>/admin-key`; `generated`: now). */
  readonly adminKeySource: AdminKeyBoot['source'];
  readonly webhooks: WebhookService;
  readonly events: EventService;
  /** Dynamic-webhook signing keys: list, rotate, JWKS. */
  readonly signingKeys: SigningKeyService;
  /** Live event notices by project (what the SSE stream watches); `watchers` counts open streams. */
  readonly eventFeed: EventFeed;
  /** Operations in process: create, get, list, cancel (the HTTP API uses the same service). */
  readonly operations: OperationService;
  /**
   * The embedding API: runs operations of a custom `kind` in this process. The executor's return
   * value is the result (`operation.succeeded`); throwing fails it (`operation.failed`).
   */
  registerExecutor(kind: string, executor: Executor): void;
  /** Starts the engine and the HTTP server; resolves to the base URL. */
  listen(): Promise<string>;
  /** Drains in-flight attempts, then closes the server, the connections and the store. */
  close(): Promise<void>;
}

/**
 * Assembles a Herald: store (migrated), default project and key, signing, engine and HTTP app.
 * Nothing listens or runs until `listen()`.
 *
 * @example
 * const herald = await createHerald({ config: { port: 0, dataDir: '/tmp/herald' } });
 * const url = await herald.listen();
 */
export async function createHerald(options: HeraldOptions = {}): Promise<Herald> {
  const config: HeraldConfig = { ...loadConfig(), ...options.config };
  const publicUrl = new PublicUrl(config.publicUrl, {
    configured: options.config?.publicUrl !== undefined || config.publicUrlConfigured === true,
  });
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  ensureWritableDataDir(config.dataDir);
  const masterKey = loadOrCreateMasterKey({ env: config.masterKey, dataDir: config.dataDir });
  const secretBox = createSecretBox(masterKey);
  const endpointHealth = createEndpointHealth({ timeScale: config.timeScale });
  // SQLite: one process per data dir, no silent start on an emptied one, a deleted file noticed.
  const dataDir = config.databaseUrl
    ? undefined
    : SqliteDataDir.acquire(config.dataDir, { allowEmpty: config.allowEmptyDatabase, now: clock.now() });
  let store: Store;
  try {
    store = await openStore(config, { now: clock.now(), logger, endpointHealth });
  } catch (err) {
    dataDir?.release();
    throw err;
  }
  dataDir?.opened();
  dataDir?.watch(config.dataDirCheckMs, (message) => logger.error({ file: dataDir.file }, message));
  const closeStore = async () => {
    await store.close();
    dataDir?.release();
  };
  try {
    // A process with another master key than the rest of the fleet stops here, before it writes
    // anything to the database, not at its first signature.
    checkMasterKey(await ensureSigningKeys({ store, secretBox, now: clock.now() }), secretBox, {
      file: config.masterKey?.trim() ? undefined : masterKeyFile(config.dataDir),
    });
  } catch (err) {
    await closeStore();
    throw err;
  }
  let boot: DefaultProject;
  let admin: AdminKeyBoot;
  try {
    boot = await bootstrapDefaultProject(store, { apiKey: config.apiKey, dataDir: config.dataDir, now: clock.now() });
    admin = await bootstrapAdminKey(store, { adminKey: config.adminKey, dataDir: config.dataDir, now: clock.now() });
  } catch (err) {
    await closeStore();
    throw err;
  }
  if (boot.revoked)
    logger.error(
      { keyPrefix: boot.apiKey.slice(0, 7) },
      'HERALD_API_KEY was revoked and does not authenticate: set HERALD_API_KEY to a new random value (or create a key with `herald keys create`)',
    );
  if (boot.revokedPrevious.length > 0)
    logger.warn(
      { revokedKeyPrefixes: boot.revokedPrevious },
      'HERALD_API_KEY changed: the previous environment key is revoked (keys created with `herald keys create` are kept)',
    );
  if (admin.revokedPrevious.length > 0)
    logger.warn(
      { revokedKeyPrefixes: admin.revokedPrevious },
      'HERALD_ADMIN_KEY changed: the previous environment admin key is revoked',
    );
  const signingKeys = new SigningKeyService({ store, secretBox, clock });
  const eventFeed = new EventFeed(store);

  const metrics = createMetrics(store, () => clock.now());
  /** Tells open dashboards that something changed (attempts here, events via the store). */
  const live = new LiveBus();
  const agent: Agent = createDeliveryAgent(deliveryAgentOptions(config));
  const listenerHub = new ListenerHub();
  const engine = createEngine({
    store,
    logger: logger.child({ component: 'engine' }),
    signer: createDeliverySigner({
      webhook: createWebhookSigner({ store, secretBox, clock }),
      dynamic: createDynamicSigner({
        store,
        keyRing: createKeyRing({ store, secretBox }),
        issuer: publicUrl.get,
      }),
    }),
    // `herald-listen://` destinations go to the `herald listen` streams, everything else over HTTP.
    // A destination's hung requests hold its slots only ~10× its usual answer time (adaptive-timeout.ts).
    send: listenerHub.sender(
      withAdaptiveTimeout<AttemptRequest>(
        (req) => sendAttempt(agent, req),
        new AdaptiveTimeouts({ maxMs: config.attemptTimeoutMs, enabled: config.adaptiveTimeout }),
        () => metrics.countSlowEndpointTimeout(),
      ),
    ),
    clock,
    timeScale: config.timeScale,
    maxPerDestination: config.maxInFlightPerDestination,
    maxConcurrent: config.maxInFlight,
    maxPerProject: config.maxInFlightPerProject,
    attemptTimeoutMs: config.attemptTimeoutMs,
    leaseMs: config.attemptTimeoutMs + config.leaseGraceMs,
    breakerThreshold: config.breakerThreshold,
    ...(options.random ? { random: options.random } : {}),
    onAttempt: (d, result, outcome) => {
      metrics.observeAttempt(d, result, outcome, clock.now());
      live.notify(d.projectId, 'attempt');
      options.onAttempt?.(d, result, outcome);
    },
  });
  // Per-project limits (HERALD_PROJECT_* defaults, `limits` overrides), read through a 5 s cache.
  const projectLimits = new ProjectLimits({
    store,
    clock,
    defaults: { eventsPerSecond: config.projectEventsPerSecond, maxWebhooks: config.projectMaxWebhooks },
  });
  const webhooks = new WebhookService({ store, secretBox, clock, timeScale: config.timeScale, limits: projectLimits });
  // One bucket per project for everything that creates work: events and operations alike.
  const ingestLimit = new IngestRateLimit({ limits: projectLimits, clock });
  const events = new EventService({
    store,
    clock,
    timeScale: config.timeScale,
    maxEventDataBytes: config.maxEventDataBytes,
    rateLimit: ingestLimit,
  });
  let draining = false;
  const operations = createOperationsRuntime({
    store,
    clock,
    logger,
    timeScale: config.timeScale,
    maxEventDataBytes: config.maxEventDataBytes,
    publicUrl: publicUrl.get,
    rateLimit: ingestLimit,
  });
  const replay = new ReplayService({ store, clock, timeScale: config.timeScale });
  // Purges settled history older than HERALD_RETENTION_DAYS, in small batches, where the engine runs.
  const retention = createRetentionRunner({
    store,
    clock,
    logger: logger.child({ component: 'retention' }),
    retentionMs: config.retentionDays * 86_400_000,
  });
  // A listener's deliveries are pushed by the engine of the process its stream is connected to.
  const listeners = config.role === 'all' ? new ListenerService({ hub: listenerHub, webhooks }) : undefined;
  const dashboard = { live, sessionSecret: deriveSessionSecret(masterKey) };
  const app = await buildApp({
    publicUrl: publicUrl.get,
    operations: operations.surfaces,
    config,
    store,
    clock,
    logger,
    webhooks,
    events,
    metrics,
    signingKeys,
    eventFeed,
    isDraining: () => draining,
    ...(dataDir ? { dataDirProblem: () => dataDir.problem(), databaseLost: () => dataDir.lost() } : {}),
    apiRoutes: config.role !== 'worker',
    replay,
    dashboard,
    ...(listeners ? { listeners } : {}),
  });
  const connections = new ClosingConnections(app.server);

  let closed = false;
  return {
    config,
    store,
    engine,
    app,
    logger,
    projectId: boot.projectId,
    apiKey: boot.apiKey,
    apiKeyGenerated: boot.generated,
    apiKeySource: boot.source,
    apiKeyRevoked: boot.revoked,
    adminKey: admin.adminKey,
    adminKeySource: admin.source,
    signingKeys,
    eventFeed,
    webhooks,
    events,
    operations: operations.service,
    registerExecutor: (kind, executor) => operations.registerExecutor(kind, executor),
    async listen() {
      // Listen first: a process that cannot serve (port in use) must not start delivering as a
      // headless worker; it closes what it opened (PostgreSQL's pool would keep it alive) and throws.
      let address: string;
      try {
        address = await app.listen({ port: config.port, host: config.host });
      } catch (err) {
        closed = true;
        await app.close();
        await agent.close();
        await closeStore();
        throw err;
      }
      if (config.role !== 'api') engine.start();
      if (config.role !== 'api') retention.start();
      warnIfExposed(config, logger);
      const port = new URL(address).port;
      const host =
        config.host === '0.0.0.0' || config.host === '::'
          ? '127.0.0.1'
          : config.host.includes(':')
            ? `[${config.host}]`
            : config.host;
      const url = `http://${host}:${port}`;
      publicUrl.adoptListeningUrl(url);
      // Kept in step for callers that read herald.config (the banner, tests).
      config.publicUrl = publicUrl.get();
      if (config.role !== 'api') await operations.start();
      return url;
    },
    async close() {
      if (closed) return;
      closed = true;
      draining = true;
      await operations.stop();
      await engine.stop();
      await retention.stop();
      const stopEnding = connections.begin();
      try {
        await app.close();
      } finally {
        stopEnding();
      }
      listeners?.close();
      await agent.close();
      await closeStore();
    },
  };
}
