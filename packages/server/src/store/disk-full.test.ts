import { describe, expect, it } from 'vitest';
import { isDiskFull } from './disk-full.js';

describe('isDiskFull', () => {
  it.each([
    [{ code: 'SQLITE_FULL' }, true],
    [{ code: '53100' }, true],
    [{ code: 'ENOSPC' }, true],
    [new Error('commit failed', { cause: { code: '53100' } }), true],
    [{ code: 'SQLITE_BUSY' }, false],
    [{ code: '23505' }, false],
    [null, false],
  ])('%o → %s', (err, full) => {
    expect(isDiskFull(err)).toBe(full);
  });
});
