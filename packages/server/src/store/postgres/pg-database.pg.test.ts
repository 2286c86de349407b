import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, pgTestAvailability, type ScratchDatabase } from '../../testing/pg-scratch.js';
import { createPool, inTx, type PgPool } from './pg-database.js';

const available = await pgTestAvailability();
if (!available.ok) console.warn(`pg-database tests skipped: ${available.reason}`);

describe.skipIf(!available.ok)('createPool', () => {
  let db: ScratchDatabase;
  let pool: PgPool;
  beforeAll(async () => {
    db = await createScratchDatabase();
    pool = createPool(db.url, 1);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('a client handed from pool.query to a pool.connect() waiter is never without an error listener', async () => {
    // With one connection, the connect() waiter gets the very client pool.query releases, inside
    // that client's own data handler: the moment a server FATAL in the same chunk would arrive.
    let errorListeners = -1;
    const query = pool.query('SELECT 1'); // takes the only connection
    const waiter = pool.connect().then((c) => {
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
    const c = await pool.connect();
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    c.release();
    // Kill the pooled connection from another one, as a database restart would.
    const killer = createPool(db.url, 1);
    await killer.query('SELECT pg_terminate_backend($1)', [pid]);
    await killer.end();
    const first = await inTx(pool, (tx) => tx.one<{ n: number }>('SELECT 1 AS n')).catch((err: unknown) => err);
    // Either the pool noticed the idle client die (a fresh one answers) or the transaction failed cleanly.
    if (!(first instanceof Error)) expect(first).toEqual({ n: 1 });
    await expect(inTx(pool, (tx) => tx.one<{ n: number }>('SELECT 1 AS n'))).resolves.toEqual({ n: 1 });
  });
});
