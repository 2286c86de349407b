import { describe, expect, it } from 'vitest';
import { pgTestAvailability } from '../../testing/pg-scratch.js';
import { useScratchPool } from '../../testing/scratch-pool.js';
import { PgGroupCommit } from './group-commit.js';

const available = await pgTestAvailability();
if (!available.ok) console.warn(`PgGroupCommit tests skipped: ${available.reason}`);

describe.skipIf(!available.ok)('PgGroupCommit', () => {
  const scratch = useScratchPool(2, (pool) => pool.query('CREATE TABLE t (id int PRIMARY KEY)'));

  function group(opts: { lingerMs?: number; inTransaction?: boolean; maxBatch?: number; maxFlushers?: number }) {
    const batches: { ids: number[]; inTransaction: boolean }[] = [];
    const g = new PgGroupCommit<number, number>({
      pool: scratch.pool,
      batch: async (tx, ids, inTransaction) => {
        batches.push({ ids, inTransaction });
        await tx.run('INSERT INTO t (id) SELECT * FROM unnest($1::int[])', [ids]);
        return ids.map((id) => id * 10);
      },
      one: async (id) => -id,
      maxFlushers: opts.maxFlushers ?? 1,
      ...(opts.maxBatch ? { maxBatch: opts.maxBatch } : {}),
      ...(opts.lingerMs ? { lingerMs: opts.lingerMs } : {}),
      ...(opts.inTransaction !== undefined ? { inTransaction: () => opts.inTransaction! } : {}),
    });
    return { g, batches };
  }
  /** Submits one item now and the others on later turns of the event loop. */
  async function submitSpread(g: PgGroupCommit<number, number>, ids: number[]): Promise<number[]> {
    const out: Promise<number>[] = [];
    for (const id of ids) {
      out.push(g.submit(id));
      await new Promise((r) => setImmediate(r));
    }
    return Promise.all(out);
  }

  it('without a linger, an item that arrives alone goes alone', async () => {
    const { g, batches } = group({});
    expect(await submitSpread(g, [1, 2, 3])).toEqual([10, 20, 30]);
    expect(batches[0]!.ids).toEqual([1]);
  });

  it('starts another flusher only for a full batch: items that arrive while one commits go together', async () => {
    const { g, batches } = group({ maxBatch: 3, maxFlushers: 2 });
    // 11 goes at once; 12 and 13 wait for it (no second flusher for a batch that is not full); 14
    // fills a batch, which a second flusher takes; 15 and 16 wait for the first free one.
    const answers = await Promise.all([11, 12, 13, 14, 15, 16].map((id) => g.submit(id)));
    expect(answers).toEqual([110, 120, 130, 140, 150, 160]);
    // (The second and third batches may reach the database in either order.)
    expect(batches.map((b) => b.ids).sort((a, b) => a[0]! - b[0]!)).toEqual([[11], [12, 13, 14], [15, 16]]);
  });

  it('with a linger, items that arrive a few turns apart share one batch', async () => {
    const { g, batches } = group({ lingerMs: 500 });
    expect(await submitSpread(g, [4, 5, 6, 7])).toEqual([40, 50, 60, 70]);
    expect(batches).toEqual([{ ids: [4, 5, 6, 7], inTransaction: true }]);
  });

  it('runs a batch in statements when inTransaction says so, and reruns a failed one item by item', async () => {
    const { g, batches } = group({ inTransaction: false });
    expect(await g.submit(8)).toBe(80);
    expect(batches).toEqual([{ ids: [8], inTransaction: false }]);
    // 8 exists: its batch fails and it reruns alone (`one`); 9, in the next batch, is written.
    expect(await Promise.all([g.submit(8), g.submit(9)])).toEqual([-8, 90]);
    const rows = await scratch.pool.query<{ id: number }>('SELECT id FROM t WHERE id BETWEEN 8 AND 10 ORDER BY id');
    expect(rows.rows.map((r) => r.id)).toEqual([8, 9]);
    expect(batches.map((b) => b.inTransaction)).toEqual([false, false, false]);
  });
});
