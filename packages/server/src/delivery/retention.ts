import type { Logger } from 'pino';
import type { Clock } from '../kernel/clock.js';
import type { PurgeResult, RetentionPort } from '../ports/retention-port.js';

export interface RetentionOptions {
  store: RetentionPort;
  clock: Clock;
  logger: Logger;
  /** HERALD_RETENTION_DAYS, in ms. */
  retentionMs: number;
  /** Events per batch (each batch is one short transaction). Default 500. */
  batch?: number;
  /** Pause between batches, so deliveries and API writes interleave. Default 50 ms. */
  pauseMs?: number;
  /** Time between purge runs. Default 10 minutes. */
  intervalMs?: number;
}

export interface RetentionRunner {
  start(): void;
  stop(): Promise<void>;
  /** One full purge now (every batch), resolving to what it deleted. */
  runOnce(): Promise<PurgeResult>;
}

/**
 * Purges old events, deliveries and attempts in the background: every `intervalMs`, batch after
 * batch (each its own short transaction, with a pause between) until nothing older than the
 * retention period is left. Unsettled deliveries, and the events they belong to, are never
 * purged. Runs wherever the engine runs; with PostgreSQL several processes may run it at once.
 */
export function createRetentionRunner(opts: RetentionOptions): RetentionRunner {
  const { store, clock, logger } = opts;
  const batch = opts.batch ?? 500;
  const pauseMs = opts.pauseMs ?? 50;
  const intervalMs = opts.intervalMs ?? 10 * 60_000;
  let running = false;
  let timer: unknown;
  let current: Promise<PurgeResult> | undefined;

  async function runOnce(): Promise<PurgeResult> {
    const total: PurgeResult = { events: 0, deliveries: 0, attempts: 0 };
    const before = clock.now() - opts.retentionMs;
    for (;;) {
      const r = await store.purgeBefore({ before, limit: batch });
      total.events += r.events;
      total.deliveries += r.deliveries;
      total.attempts += r.attempts;
      if (r.events < batch || !running) break;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    if (total.events > 0) logger.info({ ...total, before }, 'retention purged old events, deliveries and attempts');
    return total;
  }

  function arm(delayMs: number): void {
    timer = clock.setTimeout(() => {
      if (!running) return;
      current = runOnce()
        .catch((err: unknown) => {
          logger.error({ err }, 'retention purge failed; retrying at the next run');
          return { events: 0, deliveries: 0, attempts: 0 };
        })
        .finally(() => {
          current = undefined;
          if (running) arm(intervalMs);
        });
    }, delayMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      // The first run soon after start (spread a little so processes starting together differ).
      arm(5_000 + Math.floor(Math.random() * 5_000));
    },
    async stop() {
      running = false;
      clock.clearTimeout(timer);
      await current;
    },
    async runOnce() {
      const was = running;
      running = true;
      try {
        return await runOnce();
      } finally {
        running = was;
      }
    },
  };
}
