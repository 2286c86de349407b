import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

const T = 1_000_000;

describe('CircuitBreaker', () => {
  it('opens after `threshold` unreachable attempts in a row, not before', () => {
    const b = new CircuitBreaker({ threshold: 3, baseCooldownMs: 5_000 });
    expect(b.record('d', false, T)).toBeUndefined();
    expect(b.record('d', false, T)).toBeUndefined();
    expect(b.holdUntil('d', T)).toBeUndefined();
    expect(b.record('d', false, T)).toBe(5_000);
    expect(b.isOpen('d')).toBe(true);
    expect(b.holdUntil('d', T + 1)).toBe(T + 5_000);
    expect(b.holdUntil('other', T + 1)).toBeUndefined();
  });

  it('any HTTP answer resets the streak and closes the circuit', () => {
    const b = new CircuitBreaker({ threshold: 2 });
    b.record('d', false, T);
    b.record('d', true, T);
    expect(b.record('d', false, T)).toBeUndefined();
    expect(b.record('d', false, T)).toBeDefined();
    b.record('d', true, T + 1);
    expect(b.isOpen('d')).toBe(false);
    expect(b.holdUntil('d', T + 1)).toBeUndefined();
  });

  it('lets one probe through when the pause ends; a failed probe doubles the pause, up to the maximum', () => {
    const b = new CircuitBreaker({
      threshold: 1,
      baseCooldownMs: 1_000,
      maxCooldownMs: 3_000,
      probeWindowMs: 10_000,
      probeRecheckMs: 500,
    });
    expect(b.record('d', false, T)).toBe(1_000);
    // Attempts already out when it opened fail too: they do not extend the pause.
    expect(b.record('d', false, T + 10)).toBeUndefined();
    expect(b.holdUntil('d', T + 1_000)).toBeUndefined(); // the probe
    expect(b.holdUntil('d', T + 1_001)).toBe(T + 1_501); // others wait, looked at again soon
    expect(b.record('d', false, T + 1_100)).toBe(2_000);
    expect(b.holdUntil('d', T + 1_200)).toBe(T + 3_100);
    expect(b.holdUntil('d', T + 3_100)).toBeUndefined();
    expect(b.record('d', false, T + 3_200)).toBe(3_000); // capped
    expect(b.holdUntil('d', T + 6_200)).toBeUndefined();
    expect(b.record('d', true, T + 6_300)).toBeUndefined();
    expect(b.holdUntil('d', T + 6_301)).toBeUndefined();
  });

  it('lets others through when a probe never reports back within its window', () => {
    const b = new CircuitBreaker({ threshold: 1, baseCooldownMs: 1_000, probeWindowMs: 2_000, probeRecheckMs: 5_000 });
    b.record('d', false, T);
    expect(b.holdUntil('d', T + 1_000)).toBeUndefined();
    expect(b.holdUntil('d', T + 1_500)).toBe(T + 3_000);
    expect(b.holdUntil('d', T + 3_000)).toBeUndefined(); // a new probe
  });

  it('lists the paused destinations with what holdUntil would answer, without taking the probe', () => {
    const b = new CircuitBreaker({ threshold: 1, baseCooldownMs: 1_000, probeWindowMs: 2_000, probeRecheckMs: 500 });
    b.record('open', false, T);
    b.record('ok', true, T);
    expect(b.paused(T + 10)).toEqual([{ destinationId: 'open', until: T + 1_000 }]);
    expect(b.paused(T + 1_000)).toEqual([]); // the pause is over: the next claim hands out the probe
    expect(b.holdUntil('open', T + 1_000)).toBeUndefined(); // the probe
    expect(b.paused(T + 1_100)).toEqual([{ destinationId: 'open', until: T + 1_600 }]);
    b.record('open', true, T + 1_200);
    expect(b.paused(T + 1_200)).toEqual([]);
  });

  it('lists as half-open the destinations whose next attempt would be the probe', () => {
    const b = new CircuitBreaker({ threshold: 1, baseCooldownMs: 1_000, probeWindowMs: 2_000 });
    b.record('d', false, T);
    expect(b.halfOpen(T + 999)).toEqual([]);
    expect(b.halfOpen(T + 1_000)).toEqual(['d']);
    b.holdUntil('d', T + 1_000); // the probe goes out
    expect(b.halfOpen(T + 1_001)).toEqual([]);
    expect(b.halfOpen(T + 3_000)).toEqual(['d']); // it never reported back
  });

  it('threshold 0 turns it off', () => {
    const b = new CircuitBreaker({ threshold: 0 });
    for (let i = 0; i < 100; i++) expect(b.record('d', false, T)).toBeUndefined();
    expect(b.holdUntil('d', T)).toBeUndefined();
  });

  it('remembers a bounded number of destinations', () => {
    const b = new CircuitBreaker({ threshold: 1, maxEntries: 2 });
    b.record('a', false, T);
    b.record('b', false, T);
    b.record('c', false, T);
    expect(b.isOpen('a')).toBe(false);
    expect(b.isOpen('b') && b.isOpen('c')).toBe(true);
  });
});
