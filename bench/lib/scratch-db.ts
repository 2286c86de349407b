import { createScratchDatabase, pgTestAvailability, redactUrl, type ScratchDatabase } from '@herald/server/testing/pg';

/** The PostgreSQL server the bench uses: `HERALD_BENCH_PG_URL`, else the local one on 127.0.0.1:5432. */
export const BENCH_PG_URL = process.env.HERALD_BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** `url` without its user and password, for notes and logs. */
export const redact = redactUrl;

/** Undefined when the server answers `SELECT 1`, else why not (the scenario reports it as skipped). */
export async function pgUnavailable(url = BENCH_PG_URL): Promise<string | undefined> {
  const a = await pgTestAvailability(url);
  return a.ok ? undefined : a.reason;
}

export type ScratchDb = ScratchDatabase;

/** Creates an empty database `herald_bench_<random>` on the server; `drop()` removes it (connections and all). */
export const createScratchDb = (baseUrl = BENCH_PG_URL): Promise<ScratchDb> =>
  createScratchDatabase(baseUrl, 'herald_bench');
