import type { DeliveryActivity } from '../model/operator-records.js';
import { percentilesOf, type Percentiles } from '../model/overview-records.js';

/** The operator's chart series over a window: per-minute attempts, hourly success rate and latency. */
export interface ActivitySeries {
  since: number;
  /** Attempts per minute, one entry per minute of the window (0 where none). */
  perMinute: number[];
  /** Per hour: the share of attempts answered 2xx (0..1), or null for an hour without attempts. */
  successRate: (number | null)[];
  /** Per hour: attempt duration percentiles of the sample, or null for an hour without sampled attempts. */
  latency: (Percentiles | null)[];
  attempts: number;
  succeeded: number;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/**
 * Folds minute buckets and the latency sample of `activity` (read with `bucketMs = MINUTE_MS`
 * from `since`) into `hours` hourly points and `hours·60` minute points.
 */
export function activitySeriesOf(activity: DeliveryActivity, since: number, hours: number): ActivitySeries {
  const minutes = hours * 60;
  const perMinute = new Array<number>(minutes).fill(0);
  const tried = new Array<number>(hours).fill(0);
  const ok = new Array<number>(hours).fill(0);
  for (const b of activity.buckets) {
    if (b.bucket < 0 || b.bucket >= minutes) continue;
    perMinute[b.bucket] = b.attempts;
    const h = Math.floor(b.bucket / 60);
    tried[h]! += b.attempts;
    ok[h]! += b.succeeded;
  }
  const durations: number[][] = Array.from({ length: hours }, () => []);
  for (const s of activity.sample) {
    const h = Math.floor((s.startedAt - since) / HOUR_MS);
    if (h >= 0 && h < hours) durations[h]!.push(s.durationMs);
  }
  return {
    since,
    perMinute,
    successRate: tried.map((n, h) => (n === 0 ? null : ok[h]! / n)),
    latency: durations.map((d) => percentilesOf(d.sort((x, y) => x - y))),
    attempts: tried.reduce((x, y) => x + y, 0),
    succeeded: ok.reduce((x, y) => x + y, 0),
  };
}
