import pg from 'pg';

export interface WaitShare {
  /** `wait_event_type:wait_event` (`CPU` when an active session waits on nothing), then the statement's start. */
  wait: string;
  statement: string;
  /** Share of all active-session samples. */
  share: number;
}

const SAMPLE = `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS wait,
       left(regexp_replace(query, '\\s+', ' ', 'g'), 48) AS statement, count(*)::int AS n
  FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()
  GROUP BY 1, 2`;

/**
 * Samples `pg_stat_activity` of one database every `intervalMs` (25 ms: a few hundred samples in a
 * 10-s run, so a share of a few percent is more than a handful of samples) over its own connection: what
 * Herald's active sessions wait on (row locks, WAL sync, CPU) while the load runs. Cheap, and the
 * answer to "why is this not faster" on PostgreSQL.
 */
export class PgWaitSampler {
  readonly #client: pg.Client;
  readonly #counts = new Map<string, { wait: string; statement: string; n: number }>();
  #running = true;
  #loop: Promise<void> = Promise.resolve();
  samples = 0;

  private constructor(client: pg.Client) {
    this.#client = client;
  }

  static async start(adminUrl: string, database: string, intervalMs = 25): Promise<PgWaitSampler> {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
    client.on('error', () => {});
    await client.connect();
    const s = new PgWaitSampler(client);
    s.#loop = s.#run(database, intervalMs);
    return s;
  }

  async #run(database: string, intervalMs: number): Promise<void> {
    while (this.#running) {
      try {
        const r = await this.#client.query<{ wait: string; statement: string; n: number }>(SAMPLE, [database]);
        this.samples++;
        for (const row of r.rows) {
          const key = `${row.wait}|${row.statement}`;
          const c = this.#counts.get(key) ?? { wait: row.wait, statement: row.statement, n: 0 };
          c.n += row.n;
          this.#counts.set(key, c);
        }
      } catch {
        return; // the connection went away: keep what was sampled
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  /**
   * Stops sampling; the `top` most frequent (wait, statement) pairs, and the share of all active
   * samples that waited on a heavyweight lock (`Lock:*`: rows, transaction ids, relations).
   */
  async stop(top = 5): Promise<{ top: WaitShare[]; locks: WaitShare[]; lockShare: number; activeSamples: number }> {
    this.#running = false;
    await this.#loop;
    await this.#client.end().catch(() => {});
    const all = [...this.#counts.values()];
    const total = all.reduce((a, c) => a + c.n, 0);
    const share = (n: number) => (total > 0 ? Math.round((n / total) * 1000) / 1000 : 0);
    const locks = all.filter((c) => c.wait.startsWith('Lock:')).reduce((a, c) => a + c.n, 0);
    const shares = all
      .sort((a, b) => b.n - a.n)
      .map((c) => ({ wait: c.wait, statement: c.statement, share: share(c.n) }));
    return {
      top: shares.slice(0, top),
      locks: shares.filter((c) => c.wait.startsWith('Lock:')).slice(0, top),
      lockShare: share(locks),
      activeSamples: total,
    };
  }
}
