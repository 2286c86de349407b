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

describe.skipIf(!available.ok)('transactions: BEGIN and COMMIT ride with statements (pipelined)', () => {
  const scratch = useScratchPool(1, (pool) => pool.query('CREATE TABLE u (id int PRIMARY KEY)'));

  /**
   * Counts round trips on the wire: each query ends in a Sync ('S') or is one simple Query ('Q')
   * and is answered by one ReadyForQuery. A round trip starts when a query goes out while no
   * answer is awaited; queries written behind one still unanswered ride in the same round trip.
   */
  function countRoundTrips(): { readonly count: number; stop(): void } {
    let count = 0;
    let awaited = 0;
    const undo: (() => void)[] = [];
    const seen = new WeakSet<object>();
    type Wire = {
      stream: { write: (buf: Buffer, ...rest: unknown[]) => boolean };
      prependListener(e: 'readyForQuery', f: () => void): void;
      off(e: 'readyForQuery', f: () => void): void;
    };
    const onAcquire = (client: { connection: Wire }) => {
      const wire = client.connection;
      if (seen.has(wire)) return;
      seen.add(wire);
      const write = wire.stream.write;
      wire.stream.write = function (this: unknown, buf: Buffer, ...rest: unknown[]) {
        const endsQuery = buf[0] === 0x51 || (buf[0] === 0x53 && buf.length === 5);
        if (endsQuery && awaited++ === 0) count++;
        return write.call(this, buf, ...rest);
      };
      // Before the client's own listener, which may write the next query at once.
      const answered = () => void (awaited = Math.max(0, awaited - 1));
      wire.prependListener('readyForQuery', answered);
      undo.push(() => {
        wire.stream.write = write;
        wire.off('readyForQuery', answered);
      });
    };
    scratch.pool.on('acquire', onAcquire as never);
    return {
      get count() {
        return count;
      },
      stop() {
        scratch.pool.off('acquire', onAcquire as never);
        for (const u of undo) u();
      },
    };
  }

  it('a unit of two statements is two round trips: BEGIN with the first, COMMIT with the last', async () => {
    await scratch.pool.query('TRUNCATE u');
    const trips = countRoundTrips();
    try {
      await inTx(scratch.pool, async (tx) => {
        await tx.run('INSERT INTO u VALUES ($1)', [1]);
        await tx.run('INSERT INTO u VALUES ($1)', [2], { thenCommit: true });
      });
      expect(trips.count).toBe(2);
      // Without thenCommit the COMMIT is a round trip of its own.
      await inTx(scratch.pool, (tx) => tx.run('INSERT INTO u VALUES ($1)', [3]));
      expect(trips.count).toBe(4);
    } finally {
      trips.stop();
    }
    expect((await scratch.pool.query('SELECT id FROM u ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('a failing last statement rolls the whole unit back (its COMMIT only ends the failed transaction)', async () => {
    await scratch.pool.query('TRUNCATE u');
    await scratch.pool.query('INSERT INTO u VALUES (9)');
    const failed = inTx(scratch.pool, async (tx) => {
      await tx.run('INSERT INTO u VALUES ($1)', [1]);
      await tx.run('INSERT INTO u VALUES ($1)', [9], { thenCommit: true }); // duplicate key
    });
    await expect(failed).rejects.toMatchObject({ code: '23505' });
    expect((await scratch.pool.query('SELECT id FROM u ORDER BY id')).rows).toEqual([{ id: 9 }]);
    // The connection is clean afterwards: the next unit commits normally.
    await inTx(scratch.pool, (tx) => tx.run('INSERT INTO u VALUES ($1)', [2], { thenCommit: true }));
    expect((await scratch.pool.query('SELECT count(*)::int AS n FROM u')).rows).toEqual([{ n: 2 }]);
  });

  it('sends the notices queued before the last statement, and refuses work after it', async () => {
    const listener = createPool(scratch.db.url, 1);
    const client = await listener.connect();
    try {
      const heard: string[] = [];
      client.on('notification', (n) => heard.push(n.payload ?? ''));
      await client.query('LISTEN herald_test');
      await inTx(scratch.pool, async (tx) => {
        tx.notify('herald_test', 'one');
        await tx.one('SELECT 1 AS n', [], { thenCommit: true });
      });
      await client.query('SELECT 1'); // the notification arrives before this answer
      expect(heard).toEqual(['one']);

      const after = inTx(scratch.pool, async (tx) => {
        await tx.one('SELECT 1 AS n', [], { thenCommit: true });
        await tx.one('SELECT 2 AS n');
      });
      await expect(after).rejects.toThrow(/after the unit’s last one/);
      const late = inTx(scratch.pool, async (tx) => {
        await tx.one('SELECT 1 AS n', [], { thenCommit: true });
        tx.notify('herald_test', 'late');
      });
      await expect(late).rejects.toThrow(/notice after/);
    } finally {
      client.release();
      await listener.end();
    }
  });
});
