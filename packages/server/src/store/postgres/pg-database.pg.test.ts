import { describe, expect, it } from 'vitest';
import { pgTestAvailability } from '../../testing/pg-scratch.js';
import { useScratchPool } from '../../testing/scratch-pool.js';
import { createPool, inTx, poolStatements } from './pg-database.js';

const available = await pgTestAvailability();
if (!available.ok) console.warn(`pg-database tests skipped: ${available.reason}`);

describe.skipIf(!available.ok)('createPool', () => {
  const scratch = useScratchPool(1);

  it('a client handed from pool.query to a pool.connect() waiter is never without an error listener', async () => {
    // With one connection, the connect() waiter gets the very client pool.query releases, inside
    // that client's own data handler: the moment a server FATAL in the same chunk would arrive.
    let errorListeners = -1;
    const query = scratch.pool.query('SELECT 1'); // takes the only connection
    const waiter = scratch.pool.connect().then((c) => {
      errorListeners = c.listenerCount('error');
      return c;
    });
    const [, client] = await Promise.all([query, waiter]);
    try {
      expect(errorListeners).toBeGreaterThan(0);
      // An error event on a checked-out client (the connection died) is not an uncaught exception.
      expect(() =>
        client.emit('error', new Error('terminating connection due to administrator command')),
      ).not.toThrow();
    } finally {
      client.release(true);
    }
  });

  it('a transaction on a client whose connection died fails and the pool recovers', async () => {
    const c = await scratch.pool.connect();
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    c.release();
    // Kill the pooled connection from another one, as a database restart would.
    const killer = createPool(scratch.db.url, 1);
    await killer.query('SELECT pg_terminate_backend($1)', [pid]);
    await killer.end();
    const first = await inTx(scratch.pool, (tx) => tx.one<{ n: number }>('SELECT 1 AS n')).catch((err: unknown) => err);
    // Either the pool noticed the idle client die (a fresh one answers) or the transaction failed cleanly.
    if (!(first instanceof Error)) expect(first).toEqual({ n: 1 });
    await expect(inTx(scratch.pool, (tx) => tx.one<{ n: number }>('SELECT 1 AS n'))).resolves.toEqual({ n: 1 });
  });
});

describe.skipIf(!available.ok)('prepared statements', () => {
  const scratch = useScratchPool(1, (pool) => pool.query('CREATE TABLE t (id int); INSERT INTO t VALUES (1)'));
  const prepared = async () =>
    (await scratch.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements`)).rows[0]!.n;

  it('parses a parameterized statement once per connection, by name', async () => {
    const db1 = poolStatements(scratch.pool);
    const before = await prepared();
    for (let i = 0; i < 3; i++) expect(await db1.rows('SELECT * FROM t WHERE id = $1', [1])).toEqual([{ id: 1 }]);
    expect(await prepared()).toBe(before + 1);
  });

  it('reruns a statement whose plan went stale under a schema change, on the pool and in a transaction', async () => {
    const db1 = poolStatements(scratch.pool);
    const text = 'SELECT * FROM t WHERE id >= $1 ORDER BY id';
    expect(await db1.rows(text, [0])).toEqual([{ id: 1 }]);
    await inTx(scratch.pool, (tx) => tx.rows(text, [0]));
    // Another process migrates: `SELECT *` now returns another row type than the cached plan.
    await scratch.pool.query('ALTER TABLE t ADD COLUMN extra int DEFAULT 7');
    expect(await inTx(scratch.pool, (tx) => tx.rows(text, [0]))).toEqual([{ id: 1, extra: 7 }]);
    await scratch.pool.query('ALTER TABLE t ADD COLUMN more int DEFAULT 8');
    expect(await db1.rows('SELECT * FROM t WHERE id = $1', [1])).toEqual([{ id: 1, extra: 7, more: 8 }]);
  });

  it('sends statements unnamed on a pool that asks for it (a pooler without prepared statements)', async () => {
    const plain = createPool(scratch.db.url, 1, { preparedStatements: false });
    try {
      expect(await poolStatements(plain).rows('SELECT id FROM t WHERE id = $1', [1])).toEqual([{ id: 1 }]);
      const n = await plain.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements');
      expect(n.rows[0]!.n).toBe(0);
    } finally {
      await plain.end();
    }
  });
});
