import { randomBytes } from 'node:crypto';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { HeraldConfig } from './config.js';
import type { Clock } from '../kernel/clock.js';
import type { EventService } from '../services/event-service.js';
import { apiKeyAuth } from '../http/auth.js';
import { LazyChildLogger } from '../observability/lazy-child-logger.js';
import { projectScope } from '../http/project-scope.js';
import { projectAdminRoutes } from '../http/routes/projects-admin.js';
import { portalLinkRoutes } from '../http/routes/portal-links.js';
import { PortalLinkService } from '../services/portal-link-service.js';
import { ProjectAdminService } from '../services/project-admin-service.js';
import { DEFAULT_PROJECT_ID } from './default-project.js';
import { installErrorHandling } from '../http/error-handler.js';
import { frameworkErrors } from '../http/framework-errors.js';
import { isDatabaseUnavailable } from '../store/database-unavailable.js';
import { isDiskFull } from '../store/disk-full.js';
import { DiskFullSignal } from '../http/disk-full.js';
import { checkJsonInput, mayNeedJsonCheck, refuseNulInUrl } from '../http/json-input-guard.js';
import { refuseWritesWhen } from '../http/refuse-writes.js';
import { LiveBus } from '../dashboard/live-bus.js';
import { KeyStreams } from '../http/key-streams.js';
import { dashboardRoutes } from '../dashboard/plugin.js';
import { portalRoutes } from '../dashboard/portal/plugin.js';
import { PortalSessionService } from '../services/portal-session-service.js';
import type { EventFeed } from '../services/event-feed.js';
import { eventStreamRoutes } from '../http/routes/event-stream.js';
import { jwksRoutes } from '../http/routes/jwks.js';
import { projectRoutes } from '../http/routes/project.js';
import { apiKeyRoutes } from '../http/routes/api-keys.js';
import { listenRoutes } from '../http/routes/listen.js';
import type { ListenerService } from '../services/listener-service.js';
import { signingKeyRoutes } from '../http/routes/signing-keys.js';
import type { SigningKeyService } from '../keys/signing-key-service.js';
import { operationSurfaces, type OperationSurfaceDeps } from './operation-surfaces.js';
import { deliveryRoutes } from '../http/routes/deliveries.js';
import { eventRoutes } from '../http/routes/events.js';
import { healthRoutes } from '../http/routes/health.js';
import { uploadRoutes } from '../http/routes/uploads.js';
import { metricsRoutes } from '../http/routes/metrics.js';
import { replayRoutes } from '../http/routes/replay.js';
import type { Metrics } from '../observability/metrics.js';
import { webhookRoutes } from '../http/routes/webhooks.js';
import { ApiKeyService } from '../services/api-key-service.js';
import { KeyIdentityCache } from '../services/key-identity-cache.js';
import { DeliveryService } from '../services/delivery-service.js';
import { ProjectReads } from '../services/project-reads.js';
import { ProjectService } from '../services/project-service.js';
import { ReplayService } from '../services/replay-service.js';
import type { Store } from '../ports/store.js';
import type { WebhookService } from '../services/webhook-service.js';

export interface AppDeps {
  config: Pick<
    HeraldConfig,
    | 'maxRequestBytes'
    | 'env'
    | 'allowPrivateNetworks'
    | 'requestTimeoutMs'
    | 'headersTimeoutMs'
    | 'portalFrameAncestors'
  >;
  /** The public URL as of now (compose/public-url.ts). */
  publicUrl: () => string;
  store: Store;
  clock: Clock;
  logger: Logger;
  webhooks: WebhookService;
  events: EventService;
  isDraining?: () => boolean;
  /** Why the SQLite data dir cannot serve now (readiness fails), or undefined. */
  dataDirProblem?: () => string | undefined;
  /** The SQLite file was deleted while running: writes are refused (a restart would lose them). */
  databaseLost?: () => boolean;
  /** Replay of a webhook since a time (built from the store and clock when absent). */
  replay?: ReplayService;
  /** Dashboard wiring: the live-update bus the engine feeds, and the session key (random when absent). */
  dashboard?: { live: LiveBus; sessionSecret: Uint8Array };
  /** Operations, the worker API and the Gemini operation surfaces (see compose/operations-runtime.ts). */
  operations?: OperationSurfaceDeps;
  metrics?: Metrics;
  /** Dynamic-webhook signing keys: `/.well-known/jwks.json` and `/v1beta/signingKeys`. */
  signingKeys?: SigningKeyService;
  /** Live event notices for `GET /v1beta/events:stream` (SSE). */
  eventFeed?: EventFeed;
  /** False for `HERALD_ROLE=worker`: no API, dashboard or upload routes. Default true. */
  apiRoutes?: boolean;
  /** `herald listen` destinations (absent when the engine runs in another process). */
  listeners?: ListenerService;
}

/** Every Gemini-compatible and Herald-native route is served under both prefixes. */
export const API_PREFIXES = ['/v1beta', '/v1'] as const;

/** Builds the Fastify app (routes, validation, errors, OpenAPI) without listening. */
export async function buildApp(deps: AppDeps) {
  const { config, store, clock } = deps;
  // Typed as Fastify's logger so the instance keeps Fastify's default generics.
  const logger: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance: logger,
    frameworkErrors,
    bodyLimit: config.maxRequestBytes,
    // A client has this long to send a whole request, and less for its headers (slowloris);
    // Node checks every connection at `connectionsCheckingInterval`, then answers 408 and closes.
    requestTimeout: config.requestTimeoutMs,
    http: {
      headersTimeout: config.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, Math.ceil(config.headersTimeoutMs / 2)),
    },
    // Per-request lines only at debug level; errors are always logged.
    logController: new LogController({ disableRequestLogging: !deps.logger.isLevelEnabled('debug') }),
    // A request's child logger is made when something is logged through it, not per request.
    childLoggerFactory: (parent, bindings, opts) => new LazyChildLogger(parent, bindings, opts),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // An empty JSON body means `{}` (the Gemini SDK sends ping and rotate with an optional body).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) {
      done(null, {});
      return;
    }
    void parseJson(req, body as string, (err, value) => {
      if (err) return done(err);
      try {
        if (mayNeedJsonCheck(body as string)) checkJsonInput(value);
      } catch (e) {
        return done(e as Error);
      }
      done(null, value);
    });
  });

  const diskFull = new DiskFullSignal(clock);
  installErrorHandling(app, {
    maxRequestBytes: config.maxRequestBytes,
    isUnavailable: isDatabaseUnavailable,
    isDiskFull,
    diskFull,
  });
  if (deps.databaseLost) app.addHook('onRequest', refuseWritesWhen(deps.databaseLost));
  app.addHook('preValidation', refuseNulInUrl);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Herald API', version: '0.1.0', description: 'Long-running operations with signed webhooks.' },
      servers: [{ url: deps.publicUrl() }],
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'x-goog-api-key' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ apiKey: [] }, { bearer: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  // The server URL as of this request: on port 0 it is only known once Herald listens.
  app.get('/openapi.json', { schema: { hide: true } }, async () => ({
    ...app.swagger(),
    servers: [{ url: deps.publicUrl() }],
  }));

  if (deps.metrics) await app.register(metricsRoutes, { metrics: deps.metrics });
  await app.register(healthRoutes, {
    store,
    isDraining: deps.isDraining ?? (() => false),
    diskFull,
    ...(deps.dataDirProblem ? { dataDirProblem: deps.dataDirProblem } : {}),
  });
  if (deps.signingKeys) await app.register(jwksRoutes, { signingKeys: deps.signingKeys });
  // HERALD_ROLE=worker: health, readiness, metrics and the JWKS only; the API runs elsewhere.
  if (deps.apiRoutes === false) return app;

  const urlPolicy = { requireHttps: config.env === 'production', allowPrivate: config.allowPrivateNetworks };
  const replay = deps.replay ?? new ReplayService({ store, clock, timeScale: 1 });
  // Valid keys are believed for KEY_CACHE_TTL_MS (5 s): revoked elsewhere, they stop within it.
  const keyCache = new KeyIdentityCache({ clock });
  const apiKeys = new ApiKeyService({ keys: store, clock, adminProjectId: DEFAULT_PROJECT_ID, cache: keyCache });
  const deliveries = new DeliveryService({ deliveries: store, clock });
  const projects = new ProjectService({ projects: store });
  // Streams end when the key that opened them is revoked (here at once, elsewhere at a re-check).
  const keyStreams = new KeyStreams({ store, clock });
  app.addHook('onClose', async () => keyStreams.stop());
  const projectAdmin = new ProjectAdminService({
    projects: store,
    clock,
    defaultProjectId: DEFAULT_PROJECT_ID,
    keyCache,
  });
  const portalLinks = new PortalLinkService({ links: store, projects: store, clock, publicUrl: deps.publicUrl });
  const scope = projectScope((id) => projectAdmin.exists(id));
  /** Everything inside one project: served un-prefixed (the key's project) and under /projects/{id}. */
  const projectScoped: FastifyPluginAsync = async (api) => {
    await api.register(webhookRoutes, { webhooks: deps.webhooks, urlPolicy });
    await api.register(eventRoutes, { events: deps.events });
    await api.register(deliveryRoutes, { deliveries });
    await api.register(replayRoutes, { replay });
    await api.register(projectRoutes, { projects });
    await api.register(apiKeyRoutes, { apiKeys, keyStreams });
    await api.register(listenRoutes, { listeners: deps.listeners, clock, keyStreams });
    if (deps.signingKeys) await api.register(signingKeyRoutes, { signingKeys: deps.signingKeys });
    if (deps.eventFeed)
      await api.register(eventStreamRoutes, { events: deps.events, clock, feed: deps.eventFeed, keyStreams });
    if (deps.operations) await api.register(operationSurfaces, { ...deps.operations, urlPolicy });
  };
  for (const prefix of API_PREFIXES) {
    await app.register(
      async (api) => {
        api.addHook('onRequest', apiKeyAuth(apiKeys));
        await api.register(async (scoped) => {
          scoped.addHook('onRequest', scope);
          await scoped.register(projectScoped);
          await scoped.register(projectScoped, { prefix: '/projects/:projectId' });
        });
        await api.register(projectAdminRoutes, { admin: projectAdmin, projects });
        await api.register(portalLinkRoutes, { links: portalLinks });
      },
      { prefix },
    );
  }
  // Files API uploads live outside the version prefix: /upload/v1beta/files.
  if (deps.operations) await app.register(uploadRoutes, { ...deps.operations, apiKeys, clock });
  // The dashboard: `/` and `/dashboard/*` (session cookie, not the API key).
  const sessionSecret = deps.dashboard?.sessionSecret ?? randomBytes(32);
  await app.register(dashboardRoutes, {
    notices: store,
    apiKeys,
    deliveries,
    events: deps.events,
    reads: new ProjectReads({ reads: store }),
    projects: projectAdmin,
    isUnavailable: isDatabaseUnavailable,
    clock,
    webhooks: deps.webhooks,
    replay,
    urlPolicy,
    live: deps.dashboard?.live ?? new LiveBus(),
    sessionSecret,
    secureCookies: deps.publicUrl().startsWith('https:'),
    operations: deps.operations?.operations,
    keyStreams,
  });
  // The consumer portal: `/portal/*` (a one-time link, then a session secret in the URL path).
  await app.register(portalRoutes, {
    sessions: new PortalSessionService({ sessions: store, links: portalLinks, clock, csrfKey: sessionSecret }),
    projects,
    webhooks: deps.webhooks,
    deliveries,
    replay,
    clock,
    urlPolicy,
    frameAncestors: config.portalFrameAncestors,
    isUnavailable: isDatabaseUnavailable,
  });
  return app;
}
