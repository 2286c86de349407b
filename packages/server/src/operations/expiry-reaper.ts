import type { Logger } from 'pino';
import type { Clock } from '../kernel/clock.js';
import { DomainError } from '../kernel/domain-errors.js';
import type { OperationService } from './operation-service.js';
import type { OperationRepo } from '../ports/operation-repo.js';

export interface ExpiryReaper {
  start(): void;
  stop(): void;
}

/**
 * Expires operations still pending or running at their `expireAt` (batches: 48 h, divided by
 * HERALD_TIME_SCALE), each with its event. One timer, armed for the earliest deadline and re-armed
 * when a new operation is created; no polling.
 */
export function createExpiryReaper(deps: {
  operations: OperationService;
  store: Pick<OperationRepo, 'nextOperationExpiry' | 'expiredOperations' | 'subscribeOperations'>;
  clock: Clock;
  logger: Logger;
}): ExpiryReaper {
  const { operations, store, clock, logger } = deps;
  let running = false;
  let timer: unknown;
  let armQueued = false;
  let unsubscribe: (() => void) | undefined;

  async function arm(): Promise<void> {
    clock.clearTimeout(timer);
    timer = undefined;
    if (!running) return;
    const next = await store.nextOperationExpiry();
    if (next === null || !running) return;
    timer = clock.setTimeout(() => void sweep(), Math.max(0, next - clock.now()));
  }

  function queueArm(): void {
    if (armQueued || !running) return;
    armQueued = true;
    setImmediate(() => {
      armQueued = false;
      arm().catch((err: unknown) => logger.error({ err }, 'arming the operation expiry timer failed'));
    });
  }

  async function sweep(): Promise<void> {
    try {
      for (;;) {
        const due = await store.expiredOperations(clock.now(), 100);
        for (const op of due) {
          try {
            await operations.expire(op.projectId, op.name);
            logger.info({ operation: op.name }, 'operation expired');
          } catch (err) {
            // Finished or deleted meanwhile: nothing to expire.
            if (!(err instanceof DomainError)) throw err;
          }
        }
        if (due.length < 100 || !running) break;
      }
    } catch (err) {
      logger.error({ err }, 'expiring operations failed');
    }
    queueArm();
  }

  return {
    start() {
      if (running) return;
      running = true;
      unsubscribe = store.subscribeOperations((c) => {
        if (c.state === 'pending') queueArm();
      });
      void sweep();
    },
    stop() {
      running = false;
      unsubscribe?.();
      clock.clearTimeout(timer);
    },
  };
}
