import { withTimeout } from '../../lib/time.js';
import type { ChaosCounts } from '../types.js';
import { Producer, type ProducerStats } from './producer.js';
import type { Sink } from './sink.js';
import { retries, tally } from './tally.js';

export interface LoadRun {
  rows: ChaosCounts[];
  producer: ProducerStats;
  /** Whether every accepted event reached every endpoint within the budget. */
  drained: boolean;
}

/**
 * Runs a producer against `targets` while `fault` does its damage (it gets the producer, to pace
 * itself on accepted events), then stops the producer and waits, at most `drainBudgetMs`, until every
 * accepted event has reached every endpoint in `endpoints`. One row per `labels` entry (one per endpoint).
 */
export async function underLoad(opts: {
  targets: () => string[];
  apiKey: string;
  type: string;
  sink: Sink;
  endpoints: number[];
  labels: string[];
  concurrency: number;
  max: number;
  padBytes?: number;
  drainBudgetMs: number;
  faultBudgetMs?: number;
  fault: (p: Producer) => Promise<string>;
}): Promise<LoadRun> {
  const producer = new Producer({
    targets: opts.targets,
    apiKey: opts.apiKey,
    type: opts.type,
    concurrency: opts.concurrency,
    max: opts.max,
    ...(opts.padBytes !== undefined ? { padBytes: opts.padBytes } : {}),
  }).start();
  let what = '';
  let failed = true;
  try {
    // A Herald that never comes back would keep the producer retrying for ever: bound the fault.
    what = await withTimeout('the fault and its load', opts.faultBudgetMs ?? 600_000, opts.fault(producer));
    failed = false;
  } finally {
    await producer.stop(failed);
  }
  const t0 = Date.now();
  const ids = [...producer.accepted.values()];
  const drained = await opts.sink.waitAll(new Map(opts.endpoints.map((e) => [e, ids])), t0 + opts.drainBudgetMs);
  const drainMs = Date.now() - t0;
  const s = producer.stats;
  const extra = [
    `producer retried: ${retries(s)}`,
    ...(s.rejected ? [`${s.rejected} emits rejected`] : []),
    ...(s.replayed ? [`${s.replayed} idempotent replays`] : []),
    ...(s.unanswered ? [`${s.unanswered} emits never answered`] : []),
    ...(drained ? [] : [`not all delivered within ${Math.round(opts.drainBudgetMs / 1000)} s`]),
  ];
  const rows = opts.endpoints.map((e, i) =>
    tally(opts.labels[i]!, ids, opts.sink, [e], drainMs, [what, ...extra].filter(Boolean).join('; ')),
  );
  return { rows, producer: s, drained };
}
