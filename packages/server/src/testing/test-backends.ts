import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import type { HeraldConfig } from '../compose/config.js';
import { createScratchDatabase, pgTestAvailability } from './pg-scratch.js';

/** A store a suite runs against: its Herald config, and how to empty it between tests. */
export interface TestBackend {
  name: 'sqlite' | 'postgres';
  config: Partial<HeraldConfig>;
  /** Empties the shared database before a test (a no-op for SQLite: each Herald has its own file). */
  reset(): Promise<void>;
}

/**
 * The backends an end-to-end suite is parametrized over: SQLite always, PostgreSQL when
 * `HERALD_TEST_PG_URL` (or 127.0.0.1:5432) answers, on a scratch database created for the
 * calling test file and dropped after it. When PostgreSQL is not reachable the reason is
 * printed and only SQLite runs. Call at the top level of a test file.
 */
export async function testBackends(suite: string): Promise<TestBackend[]> {
  const backends: TestBackend[] = [{ name: 'sqlite', config: {}, reset: async () => {} }];
  const pg = await pgTestAvailability();
  if (!pg.ok) {
    console.warn(`${suite}: PostgreSQL runs skipped: ${pg.reason}`);
    return backends;
  }
  const scratch = await createScratchDatabase(pg.url);
  afterAll(() => scratch.drop());
  // Every Herald on the shared database uses one master key, as a fleet must (a test that starts
  // a second Herald on the same data would otherwise be refused: another key cannot open it).
  const masterKey = randomBytes(32).toString('base64');
  backends.push({
    name: 'postgres',
    config: { databaseUrl: scratch.url, masterKey },
    reset: () => scratch.truncate(),
  });
  return backends;
}
