import { describe, expect, it } from 'vitest';
import { diskFullError, diskRecentlyFull, isDiskFull } from './disk-full.js';

describe('disk full', () => {
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

  it('is a 503 UNAVAILABLE with Retry-After that says so, and readiness fails for 30 s', () => {
    const e = diskFullError(1_000_000);
    expect(e.httpCode).toBe(503);
    expect(e.retryAfterSeconds).toBe(30);
    expect(e.toBody().error).toMatchObject({
      status: 'UNAVAILABLE',
      message: expect.stringMatching(/disk of the database is full/),
    });
    expect(diskRecentlyFull(1_000_000 + 29_999)).toBe(true);
    expect(diskRecentlyFull(1_000_000 + 30_000)).toBe(false);
  });
});
