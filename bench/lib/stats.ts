/** Latency summary in milliseconds. */
export interface Percentiles {
  count: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

const round = (n: number, digits = 2): number => {
  const f = 10 ** digits;
  // `+ 0` turns -0 (a small negative rounded) into 0: JSON writes both as 0, and a result must
  // read back equal to what was written.
  return Math.round(n * f) / f + 0;
};

/** Nearest-rank percentiles of `samples` (ms), rounded to 0.01 ms. Empty input gives zeros. */
export function percentiles(samples: readonly number[]): Percentiles {
  if (samples.length === 0) return { count: 0, min: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const s = Float64Array.from(samples).sort();
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  let sum = 0;
  for (const v of s) sum += v;
  return {
    count: s.length,
    min: round(s[0]!),
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(s[s.length - 1]!),
    mean: round(sum / s.length),
  };
}

export function ratio(a: number, b: number, digits = 2): number {
  return b === 0 ? 0 : round(a / b, digits);
}

export function perSecond(count: number, ms: number): number {
  return ms <= 0 ? 0 : Math.round((count / ms) * 1000);
}

export { round };
