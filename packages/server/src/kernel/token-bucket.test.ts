import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('starts full with one second of burst and refuses the next token, saying how long to wait', () => {
    let now = 1_000_000;
    const b = new TokenBucket(10, now);
    for (let i = 0; i < 10; i++) expect(b.take(1, now)).toBe(0);
    expect(b.take(1, now)).toBe(100);
    now += 99;
    expect(b.take(1, now)).toBe(1);
    now += 1;
    expect(b.take(1, now)).toBe(0);
  });

  it('refills at its rate, never above the burst', () => {
    let now = 0;
    const b = new TokenBucket(5, now);
    expect(b.take(5, now)).toBe(0);
    now += 400; // 2 tokens back
    expect(b.available(now)).toBeCloseTo(2);
    now += 60_000;
    expect(b.available(now)).toBe(5);
  });

  it('takes a batch whole or not at all', () => {
    const b = new TokenBucket(100, 0);
    expect(b.take(60, 0)).toBe(0);
    expect(b.take(50, 0)).toBe(100); // 10 short: 100 ms at 100/s
    expect(b.available(0)).toBe(40);
    expect(b.take(101, 0)).toBe(Infinity);
  });

  it('ignores a clock that steps back', () => {
    const b = new TokenBucket(1, 10_000);
    expect(b.take(1, 10_000)).toBe(0);
    expect(b.take(1, 5_000)).toBe(1000);
  });
});
