import { describe, expect, it } from 'vitest';
import { parseTimeArg } from './time-arg.js';

const NOW = Date.parse('2026-05-04T12:00:00.000Z');

describe('parseTimeArg', () => {
  it.each([
    ['2026-05-04T10:20:30Z', '2026-05-04T10:20:30.000Z'],
    ['2026-05-04T12:20:30+02:00', '2026-05-04T10:20:30.000Z'],
    ['2026-05-04 10:20:30Z', '2026-05-04T10:20:30.000Z'],
    ['2026-05-03', '2026-05-03T00:00:00.000Z'],
    ['90s', '2026-05-04T11:58:30.000Z'],
    ['30m', '2026-05-04T11:30:00.000Z'],
    ['2h', '2026-05-04T10:00:00.000Z'],
    ['1d', '2026-05-03T12:00:00.000Z'],
  ])('%s → %s', (raw, iso) => {
    expect(parseTimeArg(raw, NOW)).toBe(iso);
  });

  it.each(['yesterday', '2026-05-04T10:20:30', '10', '2026-13-01', ''])('rejects %s', (raw) => {
    expect(parseTimeArg(raw, NOW)).toBeUndefined();
  });
});
