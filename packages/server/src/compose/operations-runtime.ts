import type { Logger } from 'pino';
import type { Clock } from '../kernel/clock.js';
import { createExecutorRunner, type ExecutorRunner } from '../operations/runner/executor-runner.js';
import { toExecutorOperation, type Executor } from '../operations/runner/executor-types.js';
import { loadSimulatorConfig, type SimulatorConfig } from '../gemini/simulator/sim-config.js';
import { registerSimulator } from '../gemini/simulator/register-simulator.js';
import { createModelRegistry } from '../gemini/models/model-registry.js';
import { createRequestQuota } from '../gemini/http/request-quota.js';
import type { OperationSurfaceDeps } from './operation-surfaces.js';
import type { Store } from '../ports/store.js';
import { createExpiryReaper, type ExpiryReaper } from '../operations/expiry-reaper.js';
import { OperationService, type OperationServiceDeps } from '../operations/operation-service.js';
import { OperationWaiter } from '../operations/operation-waiter.js';
import { checkKind } from '../operations/validate-operation-input.js';
import { GEMINI_KINDS } from '../gemini/kinds.js';
import { KindRegistry } from '../operations/kinds.js';
import { FileService } from '../services/file-service.js';

export interface OperationsRuntimeOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  timeScale: number;
  maxEventDataBytes: number;
  /** Base of file URIs (the public URL, known for sure once Herald listens). */
  publicUrl: () => string;
  /** The per-project ingest rate limit, shared with event emits (OperationServiceDeps.rateLimit). */
  rateLimit?: OperationServiceDeps['rateLimit'];
  /** The Gemini simulator; default from HERALD_SIMULATOR and HERALD_SIM_*_MS. */
  simulator?: SimulatorConfig;
}

export interface OperationsRuntime {
  readonly service: OperationService;
  readonly runner: ExecutorRunner;
  readonly surfaces: OperationSurfaceDeps;
  /** The embedding API: run operations of `kind` in this process. */
  registerExecutor(kind: string, executor: Executor): void;
  /** Base of file URIs (known once listening). */
  readonly publicUrl: () => string;
  /** Starts the runner (resuming interrupted work) and the expiry reaper. */
  start(): Promise<void>;
  stop(graceMs?: number): Promise<void>;
}

/** Assembles the operations domain: service, long-poll waiter, in-process runner, expiry reaper. */
export function createOperationsRuntime(opts: OperationsRuntimeOptions): OperationsRuntime {
  const { store, clock, logger } = opts;
  const kinds = new KindRegistry().registerAll(GEMINI_KINDS);
  const service = new OperationService({
    store,
    clock,
    timeScale: opts.timeScale,
    kinds,
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
  });
  const waiter = new OperationWaiter(store);
  const runner = createExecutorRunner({
    operations: service,
    store,
    clock,
    logger: logger.child({ component: 'runner' }),
  });
  const reaper: ExpiryReaper = createExpiryReaper({ operations: service, store, clock, logger });
  const { publicUrl } = opts;
  const simulator = opts.simulator ?? loadSimulatorConfig();
  registerSimulator(runner, simulator, {
    store,
    timeScale: opts.timeScale,
    now: () => clock.now(),
    publicUrl,
  });
  return {
    publicUrl,
    service,
    runner,
    surfaces: {
      operations: service,
      files: new FileService({ files: store }),
      waiter,
      maxDataBytes: opts.maxEventDataBytes,
      publicUrl,
      timeScale: opts.timeScale,
      models: createModelRegistry(simulator.models),
      quota: createRequestQuota({ rpm: simulator.rpm ?? 0, now: () => clock.now() }),
    },
    registerExecutor(kind, executor) {
      checkKind(kind);
      runner.register(kind, async (op, ctx) => ({
        state: 'succeeded',
        result: (await executor(toExecutorOperation(op), ctx)) ?? null,
      }));
    },
    async start() {
      reaper.start();
      await runner.start();
    },
    async stop(graceMs) {
      reaper.stop();
      waiter.releaseAll();
      await runner.stop(graceMs);
    },
  };
}
