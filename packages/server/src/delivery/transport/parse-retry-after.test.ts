import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './parse-retry-after.js';

const NOW = Date.UTC(2026, 9, 21, 7, 28, 0);

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['1', 1000],
    ['120', 120_000],
    [' 30 ', 30_000],
    ['86400', 86_400_000],
  ])('delta-seconds %j → %i ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('HTTP-date relative to the injected now', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:30:00 GMT', NOW)).toBe(120_000);
    expect(parseRetryAfter('Wednesday, 21-Oct-26 07:29:00 GMT', NOW)).toBe(60_000);
  });

  it('a date in the past gives 0', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:00:00 GMT', NOW)).toBe(0);
  });

  it.each([undefined, '', '  ', '-5', '1.5', '12abc', 'soon', '2026-10-21', 'Thu, 99 Foo 2026 25:00:00 GMT'])(
    'malformed %j → undefined',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );

  it('uses the first value of a repeated header and rejects absurdly large numbers', () => {
    expect(parseRetryAfter(['5', '10'], NOW)).toBe(5000);
    expect(parseRetryAfter([], NOW)).toBeUndefined();
    expect(parseRetryAfter('9'.repeat(30), NOW)).toBeUndefined();
  });
});
