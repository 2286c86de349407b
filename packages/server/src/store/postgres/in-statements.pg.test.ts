import { describe, expect, it } from 'vitest';
import { pgTestAvailability } from '../../testing/pg-scratch.js';
import { useScratchPool } from '../../testing/scratch-pool.js';
import { inStatements } from './in-statements.js';

const available = await pgTestAvailability();
if (!available.ok) console.warn(`inStatements tests skipped: ${available.reason}`);

describe.skipIf(!available.ok)('inStatements: a unit whose one write commits by itself', () => {
  const scratch = useScratchPool(2, (pool) => pool.query('CREATE TABLE t (id int PRIMARY KEY)'));
  const ids = async () =>
    (await scratch.pool.query<{ id: number }>('SELECT id FROM t ORDER BY id')).rows.map((r) => r.id);

  it('runs its after-commit work once the write has committed, on statements of their own', async () => {
    const seen: number[][] = [];
    const r = await inStatements(scratch.pool, async (tx) => {
      const before = await tx.rows<{ n: number }>('SELECT count(*)::int AS n FROM t');
      await tx.run('INSERT INTO t (id) SELECT * FROM unnest($1::int[])', [[1, 2]]);
      tx.afterCommit(async (db) => {
        seen.push((await db.rows<{ id: number }>('SELECT id FROM t ORDER BY id')).map((x) => x.id));
      });
      return before[0]!.n;
    });
    expect(r).toBe(0);
    expect(seen).toEqual([[1, 2]]);
  });

  it('a failed write leaves nothing, undoes in-process state and skips the after-commit work', async () => {
    let undone = 0;
    let after = 0;
    await expect(
      inStatements(scratch.pool, async (tx) => {
        tx.onRollback(() => undone++);
        tx.afterCommit(async () => {
          after++;
        });
        await tx.run('INSERT INTO t (id) SELECT * FROM unnest($1::int[])', [[3, 1]]); // 1 exists: all or nothing
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(undone).toBe(1);
    expect(after).toBe(0);
    expect(await ids()).toEqual([1, 2]);
  });

  it('refuses a notification: it needs a transaction to ride in', async () => {
    await expect(inStatements(scratch.pool, async (tx) => tx.notify('c', 'p'))).rejects.toThrow(/needs a transaction/);
  });
});
