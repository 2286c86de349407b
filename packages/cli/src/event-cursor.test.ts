import type { EventList } from '@herald/contracts';
import { describe, expect, it } from 'vitest';
import { latestSequence, type EventPager } from './event-cursor.js';

function fakeLog(sequences: number[]): EventPager & { calls: number } {
  const sorted = [...sequences].sort((a, b) => a - b);
  const pager = {
    calls: 0,
    async listEvents(q: { after?: number; pageSize?: number }): Promise<EventList> {
      pager.calls++;
      const seq = sorted.find((s) => s > (q.after ?? 0));
      const events = seq === undefined ? [] : [{ sequence: seq } as EventList['events'][number]];
      return { events };
    },
  };
  return pager;
}

describe('latestSequence', () => {
  it('is 0 for an empty log', async () => {
    expect(await latestSequence(fakeLog([]))).toBe(0);
  });

  it.each([[[1]], [[1, 2]], [[1, 2, 3, 4, 5, 6, 7, 8]], [[3, 9, 10, 11, 40]], [[5]]])(
    'finds the newest of %j',
    async (sequences) => {
      expect(await latestSequence(fakeLog(sequences))).toBe(Math.max(...sequences));
    },
  );

  it('needs only a logarithmic number of calls', async () => {
    for (const n of [1000, 123_457, 1_000_000]) {
      const log = fakeLog(Array.from({ length: n }, (_, i) => i + 1));
      expect(await latestSequence(log)).toBe(n);
      expect(log.calls).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)) + 3);
    }
  });

  it('handles gaps (sequences missing from the log, e.g. filtered)', async () => {
    const seqs = Array.from({ length: 500 }, (_, i) => i * 7 + 3);
    expect(await latestSequence(fakeLog(seqs))).toBe(499 * 7 + 3);
  });
});
