import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.js';
import { createRetentionRunner } from './retention.js';

const DAY = 86_400_000;

describe('retention runner', () => {
  it('purges batch after batch until a short one, with the cutoff at now minus the retention', async () => {
    const clock = new ManualClock(100 * DAY);
    const calls: { before: number; limit: number }[] = [];
    const sizes = [3, 3, 1];
    const runner = createRetentionRunner({
      store: {
        purgeBefore: async (input) => {
          calls.push(input);
          const n = sizes.shift() ?? 0;
          return { events: n, deliveries: 2 * n, attempts: 3 * n };
        },
      },
      clock,
      logger: pino({ level: 'silent' }),
      retentionMs: 30 * DAY,
      batch: 3,
      pauseMs: 1,
    });
    expect(await runner.runOnce()).toEqual({ events: 7, deliveries: 14, attempts: 21 });
    expect(calls).toEqual([
      { before: 70 * DAY, limit: 3 },
      { before: 70 * DAY, limit: 3 },
      { before: 70 * DAY, limit: 3 },
    ]);
  });
});
