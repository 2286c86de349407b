import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the bench uses: `HERALD_BENCH_PG_URL`, else the local one on 127.0.0.1:5432. */
export const BENCH_PG_URL = process.env.HERALD_BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** `url` without its user and password, for notes and logs. */
export const redact = (url: string): string => url.replace(/\/\/[^@/]*@/, '//');

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Undefined when the server answers `SELECT 1`, else why not (the scenario reports it as skipped). */
export async function pgUnavailable(url = BENCH_PG_URL): Promise<string | undefined> {
  try {
    await withClient(url, (c) => c.query('SELECT 1'));
    return undefined;
  } catch (err) {
    return `no PostgreSQL at ${redact(url)}: ${(err as Error).message}`;
  }
}

export interface ScratchDb {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database `herald_bench_<random>` on the server; `drop()` removes it (connections and all). */
export async function createScratchDb(baseUrl = BENCH_PG_URL): Promise<ScratchDb> {
  const name = `herald_bench_${randomBytes(6).toString('hex')}`;
  await withClient(baseUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    name,
    url: u.toString(),
    async drop() {
      await withClient(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
