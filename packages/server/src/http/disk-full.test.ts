import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.js';
import { DiskFullSignal } from './disk-full.js';

describe('DiskFullSignal', () => {
  it('answers 503 UNAVAILABLE with Retry-After that says so, and readiness fails for 30 s', () => {
    const clock = new ManualClock(1_000_000);
    const disk = new DiskFullSignal(clock);
    expect(disk.recently()).toBe(false);
    const e = disk.refuse();
    expect(e.httpCode).toBe(503);
    expect(e.retryAfterSeconds).toBe(30);
    expect(e.toBody().error).toMatchObject({
      status: 'UNAVAILABLE',
      message: expect.stringMatching(/disk of the database is full/),
    });
    clock.advance(29_999);
    expect(disk.recently()).toBe(true);
    clock.advance(1);
    expect(disk.recently()).toBe(false);
  });

  it("is per app: one Herald's full disk does not fail another's readiness", () => {
    const clock = new ManualClock(1_000_000);
    const a = new DiskFullSignal(clock);
    const b = new DiskFullSignal(clock);
    a.refuse();
    expect(b.recently()).toBe(false);
  });
});
