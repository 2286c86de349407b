import { describe, expect, it } from 'vitest';
import { percentiles, ratio } from './stats.js';

describe('bench stats', () => {
  it('nearest-rank percentiles, rounded to 0.01 ms', () => {
    expect(percentiles([3, 1, 2, 4])).toEqual({ count: 4, min: 1, p50: 2, p95: 4, p99: 4, max: 4, mean: 2.5 });
    expect(percentiles([])).toMatchObject({ count: 0, min: 0, max: 0 });
  });

  it('rounds a small negative to 0, never -0, so a result reads back equal from its JSON', () => {
    const p = percentiles([-0.004, 0.06, 0.11]);
    expect(Object.is(p.min, 0)).toBe(true);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
    expect(Object.is(ratio(-0.001, 1), 0)).toBe(true);
  });
});
