import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { OperationService } from '../operations/operation-service.js';
import type { FileService } from '../services/file-service.js';
import type { OperationWaiter } from '../operations/operation-waiter.js';
import type { UrlPolicy } from '../delivery/transport/check-destination-uri.js';
import { batchRoutes } from '../gemini/http/batches-routes.js';
import { fileRoutes } from '../http/routes/files.js';
import { interactionRoutes } from '../gemini/http/interactions-routes.js';
import { operationRoutes } from '../http/routes/operations.js';
import { videoRoutes } from '../gemini/http/video-routes.js';
import { workerRoutes } from '../http/routes/worker.js';
import { modelRoutes } from '../gemini/http/models-routes.js';
import { createModelRegistry, type ModelRegistry } from '../gemini/models/model-registry.js';
import type { RequestQuota } from '../gemini/http/request-quota.js';

/** What the operation surfaces need; built once by `createOperationsRuntime`. */
export interface OperationSurfaceDeps {
  operations: OperationService;
  files: FileService;
  waiter: OperationWaiter;
  /** Largest `metadata` / `result`, serialized (the event data limit). */
  maxDataBytes: number;
  /** Base of file URIs (known once Herald listens). */
  publicUrl: () => string;
  /** HERALD_TIME_SCALE: divides the 48 h batch expiry. */
  timeScale: number;
  /** The simulator's models (built-in plus HERALD_SIM_MODELS); default the built-in ones. */
  models?: ModelRegistry;
  /** The simulator's request quota (HERALD_SIM_RPM); default none. */
  quota?: RequestQuota;
}

/**
 * Every operation surface, registered under each API prefix: custom operations and the worker
 * API, and the Gemini batches, video, interactions and files. Long-polls are released when the
 * server closes, so shutdown never waits on them.
 */
export const operationSurfaces: FastifyPluginAsyncTypebox<OperationSurfaceDeps & { urlPolicy: UrlPolicy }> = async (
  app,
  opts,
) => {
  app.addHook('preClose', (done) => {
    opts.waiter.releaseAll();
    done();
  });
  await app.register(operationRoutes, opts);
  await app.register(workerRoutes, opts);
  await app.register(batchRoutes, opts);
  await app.register(videoRoutes, opts);
  await app.register(interactionRoutes, opts);
  await app.register(modelRoutes, { models: opts.models ?? createModelRegistry() });
  await app.register(fileRoutes, { files: opts.files, publicUrl: opts.publicUrl });
};
