import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { openPostgresStore } from '../store/postgres/open-postgres-store.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import type { Store } from '../ports/store.js';
import { createScratchDatabase, pgTestAvailability } from './pg-scratch.js';

/** A store implementation a store-level suite runs against. */
export interface TestStoreFactory {
  name: 'sqlite' | 'postgres';
  /**
   * Opens a fresh, empty, migrated store. SQLite: a new file in `dir`. PostgreSQL: the file's
   * scratch database, emptied (schema and migration history kept).
   */
  open: (dir: string) => Promise<Store>;
}

/**
 * The stores a store-level suite is parametrized over: SQLite always, PostgreSQL when
 * `HERALD_TEST_PG_URL` (or 127.0.0.1:5432) answers, on one scratch database for the calling test
 * file, dropped after it. When PostgreSQL is not reachable the reason is printed and shows as a
 * skipped suite. Call at the top level of a test file (the end-to-end counterpart is
 * `testBackends`).
 *
 * @example
 * for (const { name, open } of await testStores('signing keys')) describe(`${name} store`, () => …);
 */
export async function testStores(suite: string, opts: { poolSize?: number } = {}): Promise<TestStoreFactory[]> {
  const factories: TestStoreFactory[] = [{ name: 'sqlite', open: (dir) => openSqliteStore(join(dir, 'herald.db')) }];
  const pg = await pgTestAvailability();
  if (!pg.ok) {
    console.warn(`${suite}: PostgreSQL runs skipped: ${pg.reason}`);
    describe.skip(`${suite}: postgres (skipped: ${pg.reason})`, () => {
      it('needs PostgreSQL', () => {});
    });
    return factories;
  }
  const scratch = await createScratchDatabase(pg.url);
  afterAll(() => scratch.drop());
  factories.push({
    name: 'postgres',
    open: async () => {
      const store = await openPostgresStore(scratch.url, { poolSize: opts.poolSize ?? 4 });
      await scratch.truncate();
      return store;
    },
  });
  return factories;
}
