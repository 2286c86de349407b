import { describe, expect, it } from 'vitest';
import { DELIVERY_WINDOW_MS, nextAttempt, RETRY_DELAYS_MS, type RetryInput } from './retry-policy.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const T0 = Date.UTC(2026, 4, 4, 12, 0, 0);

function input(over: Partial<RetryInput> = {}): RetryInput {
  const timeScale = over.timeScale ?? 1;
  return {
    outcome: 'failure',
    attemptsMade: 1,
    now: T0,
    createdAt: T0,
    deadline: T0 + DELIVERY_WINDOW_MS / timeScale,
    timeScale,
    random: () => 0.5,
    ...over,
  };
}

describe('nextAttempt', () => {
  it('exports the base schedule and the 24 h window', () => {
    expect(RETRY_DELAYS_MS).toEqual([5 * S, 5 * MIN, 30 * MIN, 2 * H, 5 * H, 10 * H]);
    expect(DELIVERY_WINDOW_MS).toBe(24 * H);
  });

  it.each([
    [1, 5 * S],
    [2, 5 * MIN],
    [3, 30 * MIN],
    [4, 2 * H],
    [5, 5 * H],
    [6, 10 * H],
  ])('after attempt %i (no jitter) the next one is %i ms later', (attemptsMade, delay) => {
    const now = T0 + 60 * S;
    expect(nextAttempt(input({ attemptsMade, now }))).toEqual({ kind: 'retry', at: now + delay });
  });

  it('walks the whole schedule: 8 attempts, the last one exactly at the deadline, then exhausted', () => {
    const times = [T0];
    for (;;) {
      const decision = nextAttempt(input({ attemptsMade: times.length, now: times.at(-1)! }));
      if (decision.kind !== 'retry') {
        expect(decision).toEqual({ kind: 'exhausted' });
        break;
      }
      times.push(decision.at);
    }
    expect(times.map((t) => t - T0)).toEqual([
      0,
      5 * S,
      5 * MIN + 5 * S,
      35 * MIN + 5 * S,
      2 * H + 35 * MIN + 5 * S,
      7 * H + 35 * MIN + 5 * S,
      17 * H + 35 * MIN + 5 * S,
      24 * H,
    ]);
  });

  it('applies ±20 % jitter: random 0 → 0.8×, random just below 1 → almost 1.2×', () => {
    expect(nextAttempt(input({ attemptsMade: 2, random: () => 0 }))).toEqual({ kind: 'retry', at: T0 + 4 * MIN });
    const high = nextAttempt(input({ attemptsMade: 2, random: () => 0.999999 }));
    expect(high).toEqual({ kind: 'retry', at: T0 + Math.round(5 * MIN * (0.8 + 0.4 * 0.999999)) });
    expect(high.kind === 'retry' && high.at <= T0 + 6 * MIN).toBe(true);
  });

  it('stays within the jitter bounds for many random values', () => {
    for (let i = 0; i < 200; i++) {
      const r = i / 200;
      const d = nextAttempt(input({ attemptsMade: 4, random: () => r }));
      if (d.kind !== 'retry') throw new Error('expected retry');
      expect(d.at - T0).toBeGreaterThanOrEqual(0.8 * 2 * H);
      expect(d.at - T0).toBeLessThanOrEqual(1.2 * 2 * H);
    }
  });

  it('divides every delay by the time scale (1000: a day of retries in 86.4 s)', () => {
    const timeScale = 1000;
    expect(nextAttempt(input({ timeScale, attemptsMade: 1 }))).toEqual({ kind: 'retry', at: T0 + 5 });
    expect(nextAttempt(input({ timeScale, attemptsMade: 6 }))).toEqual({ kind: 'retry', at: T0 + 36 * S });
    expect(nextAttempt(input({ timeScale, attemptsMade: 7, now: T0 + 63 * S }))).toEqual({
      kind: 'retry',
      at: T0 + 86.4 * S,
    });
  });

  it('honours Retry-After on throttled outcomes when it is later than the schedule', () => {
    expect(nextAttempt(input({ outcome: 'throttled', retryAfterMs: 120 * S }))).toEqual({
      kind: 'retry',
      at: T0 + 120 * S,
    });
    // Shorter than the schedule: the schedule wins.
    expect(nextAttempt(input({ outcome: 'throttled', attemptsMade: 3, retryAfterMs: 10 * S }))).toEqual({
      kind: 'retry',
      at: T0 + 30 * MIN,
    });
    // Scaled like every other delay.
    expect(nextAttempt(input({ outcome: 'throttled', retryAfterMs: 120 * S, timeScale: 100 }))).toEqual({
      kind: 'retry',
      at: T0 + 1200,
    });
  });

  it('ignores Retry-After on plain failures', () => {
    expect(nextAttempt(input({ outcome: 'failure', retryAfterMs: H }))).toEqual({ kind: 'retry', at: T0 + 5 * S });
  });

  it('caps Retry-After beyond the deadline at the deadline', () => {
    expect(nextAttempt(input({ outcome: 'throttled', retryAfterMs: 48 * H }))).toEqual({
      kind: 'retry',
      at: T0 + 24 * H,
    });
  });

  it('clamps a scheduled time at or past the deadline to the deadline', () => {
    // Attempt 7 finished late (23 h in): +10 h would overshoot.
    expect(nextAttempt(input({ attemptsMade: 6, now: T0 + 23 * H }))).toEqual({ kind: 'retry', at: T0 + 24 * H });
    // A manual attempt just before the deadline: the final attempt is still at the deadline.
    expect(nextAttempt(input({ attemptsMade: 12, now: T0 + 24 * H - 1 }))).toEqual({ kind: 'retry', at: T0 + 24 * H });
  });

  it('is exhausted once an attempt was made at or after the deadline', () => {
    expect(nextAttempt(input({ attemptsMade: 8, now: T0 + 24 * H }))).toEqual({ kind: 'exhausted' });
    expect(nextAttempt(input({ attemptsMade: 3, now: T0 + 25 * H }))).toEqual({ kind: 'exhausted' });
    expect(nextAttempt(input({ outcome: 'throttled', attemptsMade: 8, now: T0 + 24 * H, retryAfterMs: S }))).toEqual({
      kind: 'exhausted',
    });
  });

  it('passes success and gone through regardless of time', () => {
    expect(nextAttempt(input({ outcome: 'success' }))).toEqual({ kind: 'succeeded' });
    expect(nextAttempt(input({ outcome: 'success', now: T0 + 30 * H }))).toEqual({ kind: 'succeeded' });
    expect(nextAttempt(input({ outcome: 'gone', attemptsMade: 4 }))).toEqual({ kind: 'gone' });
  });

  it('rejects a time scale below 1 and attempt counts below 1', () => {
    expect(() => nextAttempt(input({ timeScale: 0.5 }))).toThrow(/timeScale/);
    expect(() => nextAttempt(input({ timeScale: Number.NaN }))).toThrow(/timeScale/);
    expect(() => nextAttempt(input({ attemptsMade: 0 }))).toThrow(/attemptsMade/);
  });
});
