import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where PostgreSQL tests run: `HERALD_TEST_PG_URL`, else the local server on 127.0.0.1:5432. */
export const PG_TEST_URL = process.env.HERALD_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** `url` without its user and password, for notes and logs. */
export const redactUrl = (url: string): string => url.replace(/\/\/[^@/]*@/, '//');

/**
 * Whether the PostgreSQL server at `url` answers. Returns the reason when it does not, for the
 * caller to print: PostgreSQL suites skip (loudly) rather than fail on a machine without one.
 */
export async function pgTestAvailability(
  url: string = PG_TEST_URL,
): Promise<{ ok: true; url: string } | { ok: false; reason: string }> {
  try {
    await admin(url, (c) => c.query('SELECT 1'));
    return { ok: true, url };
  } catch (err) {
    return { ok: false, reason: `PostgreSQL not reachable at ${redactUrl(url)}: ${(err as Error).message}` };
  }
}

async function admin<T>(baseUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export interface ScratchDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  name: string;
  /** Empties every Herald table (keeps the schema and the migration history). */
  truncate(): Promise<void>;
  /** Drops the database, closing whatever connections are still open on it. */
  drop(): Promise<void>;
}

/**
 * Creates `<prefix>_<random>` on the server at `baseUrl`; drop it in `afterAll`. Shared by the
 * server's suites, the cookbook's and the benchmarks (`@herald/server/testing/pg`, source only).
 */
export async function createScratchDatabase(
  baseUrl: string = PG_TEST_URL,
  prefix = 'herald_test',
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(baseUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    url,
    name,
    async truncate() {
      await admin(url, async (c) => {
        const { rows } = await c.query<{ tablename: string }>(
          "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%'",
        );
        if (rows.length > 0)
          await c.query(`TRUNCATE ${rows.map((r) => pg.escapeIdentifier(r.tablename)).join(', ')} CASCADE`);
      });
    },
    async drop() {
      await admin(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
