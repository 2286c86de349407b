import { describe, expect, it } from 'vitest';
import { clean, formatDuration, formatRelative, formatTime, pad, truncate, visibleWidth } from './text.js';

describe('text helpers', () => {
  it('neutralises terminal control sequences from server-supplied text', () => {
    expect(clean('ok\u001b[31mred\u0007\u009b2J')).toBe('ok?[31mred??2J');
    expect(clean('a\tb\nc', true)).toBe('a b c');
    expect(clean('a\nb')).toBe('a\nb');
  });

  it('measures, cuts and pads by code point, ignoring colours', () => {
    expect(visibleWidth('\u001b[32mok\u001b[39m')).toBe(2);
    expect(visibleWidth('😀é')).toBe(2);
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('😀😀😀', 2)).toBe('😀…');
    expect(pad('\u001b[32mok\u001b[39m', 4)).toBe('\u001b[32mok\u001b[39m  ');
    expect(pad('7', 3, 'right')).toBe('  7');
  });

  it('formats durations and relative times', () => {
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(1450)).toBe('1.4 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(2 * 3600_000 + 600_000)).toBe('2 h 10 min');
    expect(formatDuration(5 * 86400_000)).toBe('5 d');
    const now = Date.parse('2026-05-04T10:00:00Z');
    expect(formatRelative('2026-05-04T09:59:30Z', now)).toBe('30 s ago');
    expect(formatRelative('2026-05-04T10:03:05Z', now)).toBe('in 3 min');
    expect(formatRelative('2026-05-04T10:00:00.400Z', now)).toBe('just now');
    expect(formatTime('2026-05-04T10:20:30.123Z')).toBe('2026-05-04 10:20:30Z');
  });
});
