import type { Logger } from 'pino';
import type { Clock } from '../../kernel/clock.js';
import { DomainError } from '../../kernel/domain-errors.js';
import type { OperationService, Outcome } from '../operation-service.js';
import type { OperationRecord } from '../../model/operation-records.js';
import { errorOf, type ExecutorContext, type OutcomeExecutor } from './executor-types.js';

export type AbortReason = 'cancelled' | 'shutdown' | 'lease_lost';

export interface RunningOperation {
  readonly projectId: string;
  abort(reason: AbortReason): void;
  /** Settles when the run is over and its outcome (if any) is recorded. Never rejects. */
  readonly done: Promise<void>;
}

interface RunDeps {
  operations: OperationService;
  clock: Clock;
  logger: Logger;
  leaseMs: number;
  maxAttempts: number;
}

function sleeper(clock: Clock, signal: AbortSignal) {
  return (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(new Error(`aborted: ${String(signal.reason)}`));
        return;
      }
      const onAbort = () => {
        clock.clearTimeout(t);
        reject(new Error(`aborted: ${String(signal.reason)}`));
      };
      const t = clock.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
}

/**
 * One leased run: heartbeats the lease, gives the executor a context, and records its outcome.
 * A run aborted by shutdown hands its lease back (it runs again after restart); a run aborted by
 * cancel or deletion records nothing. An operation past `maxAttempts` runs fails with ABORTED.
 */
export function runOne(op: OperationRecord, executor: OutcomeExecutor, deps: RunDeps): RunningOperation {
  const { operations, clock, logger, leaseMs } = deps;
  const leaseId = op.leaseId!;
  const controller = new AbortController();
  const { signal } = controller;
  let heartbeat: unknown;
  let finished = false;

  const beat = () => {
    if (finished) return;
    heartbeat = clock.setTimeout(
      () => {
        operations
          .heartbeat(op.projectId, op.name, leaseId, leaseMs)
          .then(beat)
          .catch((err: unknown) => {
            if (err instanceof DomainError) controller.abort('lease_lost');
            else {
              logger.warn({ err, operation: op.name }, 'heartbeat failed; retrying');
              beat();
            }
          });
      },
      Math.floor(leaseMs / 3),
    );
  };

  const ctx: ExecutorContext = {
    signal,
    progress: async (percent, message, data) => {
      await operations.progress(op.projectId, op.name, leaseId, {
        percent,
        message,
        ...(data !== undefined ? { data } : {}),
      });
    },
    sleep: sleeper(clock, signal),
  };

  async function execute(): Promise<void> {
    let outcome: Outcome;
    if (op.attempt > deps.maxAttempts) {
      outcome = {
        state: 'failed',
        error: {
          code: 10,
          message: `the operation was interrupted ${op.attempt - 1} times (crash or restart); giving up`,
        },
      };
    } else {
      try {
        outcome = await executor(op, ctx);
      } catch (err) {
        if (signal.aborted) {
          if (signal.reason === 'shutdown') await operations.release(op.projectId, op.name, leaseId);
          return;
        }
        outcome = { state: 'failed', error: errorOf(err) };
      }
    }
    if (signal.aborted && signal.reason === 'shutdown') {
      await operations.release(op.projectId, op.name, leaseId);
      return;
    }
    try {
      await operations.finish(op.projectId, op.name, leaseId, outcome);
    } catch (err) {
      // Cancelled or deleted while it ran: its outcome no longer matters.
      if (!(err instanceof DomainError)) throw err;
      logger.debug({ operation: op.name, reason: err.message }, 'operation outcome not recorded');
    }
  }

  beat();
  const done = execute()
    .catch((err: unknown) => logger.error({ err, operation: op.name }, 'recording an operation outcome failed'))
    .finally(() => {
      finished = true;
      clock.clearTimeout(heartbeat);
    });
  return {
    projectId: op.projectId,
    abort: (reason) => controller.abort(reason),
    done,
  };
}
