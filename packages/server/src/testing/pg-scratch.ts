import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where PostgreSQL tests run: `HERALD_TEST_PG_URL`, else the local server on 127.0.0.1:5432. */
export const PG_TEST_URL = process.env.HERALD_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Whether the PostgreSQL test server answers. Returns the reason when it does not, for the
 * caller to print: PostgreSQL suites skip (loudly) rather than fail on a machine without one.
 */
export async function pgTestAvailability(): Promise<{ ok: true; url: string } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true, url: PG_TEST_URL };
  } catch (err) {
    const where = PG_TEST_URL.replace(/\/\/[^@/]*@/, '//');
    return { ok: false, reason: `PostgreSQL not reachable at ${where}: ${(err as Error).message}` };
  } finally {
    await client.end().catch(() => {});
  }
}

async function admin<T>(baseUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
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

/** Creates `herald_test_<random>` on the test server; drop it in `afterAll`. */
export async function createScratchDatabase(baseUrl: string = PG_TEST_URL): Promise<ScratchDatabase> {
  const name = `herald_test_${randomBytes(6).toString('hex')}`;
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
