import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Clock } from '../../kernel/clock.js';
import type { OperationService } from '../operation-service.js';
import type { OperationRecord } from '../../model/operation-records.js';
import type { OutcomeExecutor } from './executor-types.js';
import { runOne, type RunningOperation } from './run-one.js';
import type { OperationRepo } from '../../ports/operation-repo.js';
import { singleFlight } from '../../kernel/single-flight.js';

export interface RunnerOptions {
  operations: OperationService;
  /** Lease recovery at start and change notices (wake-ups, cancellations). */
  store: Pick<OperationRepo, 'recoverOperationLeases' | 'subscribeOperations'>;
  clock: Clock;
  logger: Logger;
  /** Lease per run, renewed by heartbeats every third of it. */
  leaseMs?: number;
  maxConcurrent?: number;
  /** Runs of one operation (restarts included) before it fails with ABORTED. */
  maxAttempts?: number;
}

export interface ExecutorRunner {
  register(kind: string, executor: OutcomeExecutor): void;
  readonly kinds: readonly string[];
  start(): Promise<void>;
  /** Stops leasing, aborts running executors and waits (up to `graceMs`) for them to hand back. */
  stop(graceMs?: number): Promise<void>;
  readonly active: number;
}

/** Lease owners of in-process runners start with this (see `recoverOperationLeases`). */
export const RUNNER_OWNER_PREFIX = 'runner:';

/**
 * Runs operations of registered kinds in this process: leases them like any worker (so a crash
 * costs a re-run, never a stuck operation), heartbeats while they run, aborts them on cancel,
 * and records the outcome with its events. Wakes on new operations; a slow timer is the safety net.
 */
export function createExecutorRunner(opts: RunnerOptions): ExecutorRunner {
  const { operations, clock, logger } = opts;
  const leaseMs = opts.leaseMs ?? 30_000;
  const maxConcurrent = opts.maxConcurrent ?? 32;
  const maxAttempts = opts.maxAttempts ?? 3;
  const owner = `${RUNNER_OWNER_PREFIX}${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const executors = new Map<string, OutcomeExecutor>();
  const runs = new Map<string, RunningOperation>();
  let running = false;
  let poll: unknown;
  let unsubscribe: (() => void) | undefined;

  function launch(op: OperationRecord): void {
    const executor = executors.get(op.kind);
    if (!executor) return;
    const run = runOne(op, executor, { operations, clock, logger, leaseMs, maxAttempts });
    runs.set(op.name, run);
    void run.done.finally(() => {
      runs.delete(op.name);
      if (running) void pump();
    });
  }

  /** One lease pass: lease pending operations of the registered kinds while there is room. */
  async function leasePass(): Promise<void> {
    while (running && runs.size < maxConcurrent) {
      const leased = await operations.lease({
        kinds: [...executors.keys()],
        max: Math.min(maxConcurrent - runs.size, 16),
        leaseMs,
        owner,
      });
      for (const op of leased) launch(op);
      if (leased.length === 0) break;
    }
  }
  const leasePasses = singleFlight(leasePass, () => running);

  async function pump(): Promise<void> {
    try {
      await leasePasses();
    } catch (err) {
      logger.error({ err }, 'leasing operations failed');
    }
  }

  function armPoll(): void {
    poll = clock.setTimeout(() => {
      if (!running) return;
      void pump().finally(armPoll);
    }, leaseMs);
  }

  return {
    register(kind, executor) {
      executors.set(kind, executor);
      if (running) void pump();
    },
    get kinds() {
      return [...executors.keys()];
    },
    get active() {
      return runs.size;
    },
    async start() {
      if (running) return;
      running = true;
      const { store } = opts;
      const recovered = await store.recoverOperationLeases(RUNNER_OWNER_PREFIX, clock.now());
      if (recovered > 0) logger.warn({ recovered }, 'resuming operations that were running when Herald last stopped');
      unsubscribe = store.subscribeOperations((c) => {
        const run = runs.get(c.name);
        if (run && run.projectId === c.projectId && c.state !== 'running') run.abort('cancelled');
        if (c.state === 'pending' && executors.has(c.kind)) void pump();
      });
      armPoll();
      void pump();
    },
    async stop(graceMs = 10_000) {
      running = false;
      unsubscribe?.();
      clock.clearTimeout(poll);
      if (runs.size === 0) return;
      const settled = Promise.all([...runs.values()].map((r) => r.done));
      for (const r of runs.values()) r.abort('shutdown');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, graceMs);
        t.unref();
        void settled.then(() => {
          clearTimeout(t);
          resolve();
        });
      });
    },
  };
}
