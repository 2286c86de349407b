import { describe, expect, it } from 'vitest';
import { activitySeriesOf, HOUR_MS } from './activity-series.js';

describe('activitySeriesOf', () => {
  const since = 1_000 * HOUR_MS;

  it('places minute buckets, sums hours into success rates and computes hourly percentiles', () => {
    const s = activitySeriesOf(
      {
        buckets: [
          { bucket: 0, attempts: 4, succeeded: 3 },
          { bucket: 59, attempts: 1, succeeded: 1 },
          { bucket: 60 * 23 + 5, attempts: 2, succeeded: 0 },
          { bucket: 60 * 24, attempts: 9, succeeded: 9 }, // outside the window: ignored
        ],
        sample: [10, 20, 30, 40].map((d) => ({ startedAt: since + 1000, durationMs: d })),
      },
      since,
      24,
    );
    expect(s.perMinute).toHaveLength(1440);
    expect(s.perMinute[0]).toBe(4);
    expect(s.perMinute[59]).toBe(1);
    expect(s.successRate).toHaveLength(24);
    expect(s.successRate[0]).toBe(0.8);
    expect(s.successRate[1]).toBeNull();
    expect(s.successRate[23]).toBe(0);
    expect(s.latency[0]).toEqual({ p50: 20, p95: 40, p99: 40 });
    expect(s.latency[1]).toBeNull();
    expect([s.attempts, s.succeeded]).toEqual([7, 4]);
  });

  it('is all zeros and nulls without activity', () => {
    const s = activitySeriesOf({ buckets: [], sample: [] }, since, 24);
    expect(s.perMinute.every((v) => v === 0)).toBe(true);
    expect(s.successRate.every((v) => v === null)).toBe(true);
    expect(s.latency.every((v) => v === null)).toBe(true);
  });
});
