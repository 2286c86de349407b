import { describe, expect, it } from 'vitest';
import { singleFlight } from './single-flight.js';

describe('singleFlight', () => {
  it('runs one pass at a time and coalesces calls made during a pass into one more pass', async () => {
    let passes = 0;
    let release: () => void = () => {};
    const pump = singleFlight(
      async () => {
        passes++;
        if (passes === 1) await new Promise<void>((r) => (release = r));
      },
      () => true,
    );
    const first = pump();
    expect(await Promise.all([pump(), pump(), pump()])).toEqual([false, false, false]);
    release();
    expect(await first).toBe(true);
    expect(passes).toBe(2);
  });

  it('stops when inactive, and lets the running caller see a pass that throws', async () => {
    let active = false;
    const pump = singleFlight(
      async () => {
        throw new Error('boom');
      },
      () => active,
    );
    expect(await pump()).toBe(false);
    active = true;
    await expect(pump()).rejects.toThrow('boom');
    await expect(pump()).rejects.toThrow('boom'); // not stuck busy after a failure
  });
});
