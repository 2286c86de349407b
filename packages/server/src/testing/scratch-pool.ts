import { afterAll, beforeAll } from 'vitest';
import { createPool, type PgPool } from '../store/postgres/pg-database.js';
import { createScratchDatabase, type ScratchDatabase } from './pg-scratch.js';

/**
 * Registers hooks that give the enclosing `describe` a scratch database and a pool of `size`
 * connections on it (`setup` runs once, on the pool), ended and dropped afterwards.
 *
 * @example
 * const scratch = useScratchPool(1, (pool) => pool.query('CREATE TABLE t (id int)'));
 * it('…', async () => { await scratch.pool.query('SELECT 1'); });
 */
export function useScratchPool(
  size: number,
  setup?: (pool: PgPool) => Promise<unknown>,
): { readonly db: ScratchDatabase; readonly pool: PgPool } {
  let db: ScratchDatabase | undefined;
  let pool: PgPool | undefined;
  beforeAll(async () => {
    db = await createScratchDatabase();
    pool = createPool(db.url, size);
    await setup?.(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });
  return {
    get db() {
      if (!db) throw new Error('useScratchPool: the database exists only inside the tests');
      return db;
    },
    get pool() {
      if (!pool) throw new Error('useScratchPool: the pool exists only inside the tests');
      return pool;
    },
  };
}
