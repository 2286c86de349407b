import pg from 'pg';
import { sleep } from './time.js';

/** What one database wrote, from `pg_stat_database`, and the cluster's WAL position. */
interface Snapshot {
  commits: number;
  rowWrites: number;
  walLsn: string;
}

/** Per delivery over a run: commits and row writes of the database, WAL bytes of the whole cluster. */
export interface WriteCost {
  commitsPerDelivery: number;
  rowWritesPerDelivery: number;
  /** Cluster-wide: other databases' writes during the run count too (an upper bound on a shared server). */
  walBytesPerDelivery: number;
}

const SNAPSHOT = `SELECT xact_commit::float8 AS commits,
    (tup_inserted + tup_updated + tup_deleted)::float8 AS row_writes, pg_current_wal_lsn()::text AS wal_lsn
  FROM pg_stat_database WHERE datname = $1`;

/**
 * Measures what a run costs the database, from two snapshots: `pg_stat_database` counters of one
 * database (sessions report them at most once a second, so the end snapshot waits 1.5 s) and
 * `pg_current_wal_lsn()`.
 */
export class PgWriteStats {
  readonly #client: pg.Client;
  readonly #database: string;
  #start: Snapshot | undefined;

  private constructor(client: pg.Client, database: string) {
    this.#client = client;
    this.#database = database;
  }

  static async start(adminUrl: string, database: string): Promise<PgWriteStats> {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
    client.on('error', () => {});
    await client.connect();
    const s = new PgWriteStats(client, database);
    s.#start = await s.#snapshot();
    return s;
  }

  async #snapshot(): Promise<Snapshot> {
    await this.#client.query('SELECT pg_stat_clear_snapshot()');
    const r = await this.#client.query<{ commits: number; row_writes: number; wal_lsn: string }>(SNAPSHOT, [
      this.#database,
    ]);
    const row = r.rows[0]!;
    return { commits: row.commits, rowWrites: row.row_writes, walLsn: row.wal_lsn };
  }

  /** Ends the measurement; per delivery of `delivered`. */
  async stop(delivered: number): Promise<WriteCost | undefined> {
    try {
      await sleep(1500);
      const end = await this.#snapshot();
      const start = this.#start!;
      const wal = await this.#client.query<{ bytes: number }>('SELECT pg_wal_lsn_diff($1, $2)::float8 AS bytes', [
        end.walLsn,
        start.walLsn,
      ]);
      const per = (n: number) => (delivered > 0 ? Math.round((n / delivered) * 100) / 100 : 0);
      return {
        commitsPerDelivery: per(end.commits - start.commits),
        rowWritesPerDelivery: per(end.rowWrites - start.rowWrites),
        walBytesPerDelivery: Math.round(per(wal.rows[0]!.bytes)),
      };
    } catch {
      return undefined;
    } finally {
      await this.#client.end().catch(() => {});
    }
  }
}
