import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heraldCommand, type HeraldCommand } from './herald-command.js';
import { HeraldProcess } from './herald-process.js';
import { createScratchDb, type ScratchDb } from './scratch-db.js';

/** A deployment to measure: one SQLite `all` process, or one PostgreSQL `api` and `workers` workers. */
export type ClusterSpec = { label: string; store: 'sqlite' } | { label: string; store: 'postgres'; workers: number };

export interface ProcessStats {
  role: string;
  /** Peak RSS (VmHWM) in bytes and CPU time (user + system) in ms; 0 when unknown. */
  peakRss: number;
  cpuMs: number;
}

/**
 * The `herald serve` processes of one spec, started together (as the multi-process test does:
 * migrations and key bootstrap cope), sharing one API key and master key; each has its own data
 * dir, and a PostgreSQL cluster its own fresh scratch database, dropped again by `close()`.
 */
export class Cluster {
  readonly spec: ClusterSpec;
  readonly apiKey = `hk_${randomBytes(16).toString('hex')}`;
  /** `api` (or `all`) first, then the workers. */
  readonly processes: HeraldProcess[] = [];
  /** Whether the processes run from the built `dist/` or from source. */
  readonly command: HeraldCommand = heraldCommand();
  readonly #cleanup: (() => Promise<void> | void)[] = [];
  #database: string | undefined;
  #databaseUrl: string | undefined;

  private constructor(spec: ClusterSpec) {
    this.spec = spec;
  }

  static async start(spec: ClusterSpec, opts: { readyMs: number; pgUrl?: string }): Promise<Cluster> {
    const c = new Cluster(spec);
    const masterKey = randomBytes(32).toString('base64');
    try {
      let db: ScratchDb | undefined;
      if (spec.store === 'postgres') {
        const scratch = await createScratchDb(opts.pgUrl);
        c.#cleanup.push(() => scratch.drop());
        c.#database = scratch.name;
        c.#databaseUrl = scratch.url;
        db = scratch;
      }
      const roles = spec.store === 'postgres' ? ['api', ...Array<string>(spec.workers).fill('worker')] : ['all'];
      const env = (role: string) => {
        const dataDir = mkdtempSync(join(tmpdir(), `herald-bench-${role}-`));
        c.#cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
        return {
          HERALD_ROLE: role,
          HERALD_DATA_DIR: dataDir,
          HERALD_API_KEY: c.apiKey,
          HERALD_MASTER_KEY: masterKey,
          ...(db ? { HERALD_DATABASE_URL: db.url } : {}),
        };
      };
      const started = await Promise.allSettled(
        roles.map((role) => HeraldProcess.start(env(role), opts.readyMs, c.command)),
      );
      for (const s of started) if (s.status === 'fulfilled') c.processes.push(s.value);
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
      return c;
    } catch (err) {
      await c.close();
      throw err;
    }
  }

  /**
   * PostgreSQL: makes the scratch database look like a deployment that has been running for a
   * while: the warm-up's delivered events, deliveries and attempts are copied as settled history
   * (negative sequences, older than any event of the run) until `deliveries` holds about
   * `historyRows`, then `VACUUM ANALYZE`, as autovacuum would have done. Without it the run
   * measures plans made for a table of a few hundred rows, cached by every connection for the
   * whole run while the table grows twentyfold (a sequential scan of `deliveries` for every batch
   * of attempt records), not those of a deployment with a history.
   */
  async settle(historyRows = 20_000): Promise<void> {
    if (!this.#databaseUrl) return;
    const client = new pg.Client({ connectionString: this.#databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM deliveries');
      const copies = Math.ceil(historyRows / Math.max(1, rows[0]!.n));
      const copy = (table: string, fields: string) =>
        client.query(
          `INSERT INTO ${table} SELECT (jsonb_populate_record(t, jsonb_build_object(${fields}))).*
           FROM ${table} t CROSS JOIN generate_series(1, $1::int) AS g`,
          [copies],
        );
      await copy(
        'events',
        `'id', t.id || ':h' || g, 'sequence', t.sequence - g * 100000000000000, 'idempotency_key', null`,
      );
      await copy('deliveries', `'id', t.id || ':h' || g, 'event_id', t.event_id || ':h' || g`);
      await copy('attempts', `'delivery_id', t.delivery_id || ':h' || g`);
      await client.query('VACUUM ANALYZE');
    } finally {
      await client.end();
    }
  }

  /** The scratch database's name (PostgreSQL clusters). */
  get database(): string | undefined {
    return this.#database;
  }

  /** The process that serves the HTTP API (`api` or `all`). */
  get api(): HeraldProcess {
    return this.processes[0]!;
  }

  /** A JSON request against the API process with the cluster's key. */
  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.api.url + path, {
      method,
      headers: { 'x-goog-api-key': this.apiKey, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /** Registers a static webhook; returns its signing secret. */
  async createWebhook(uri: string, subscribedEvents: string[], name: string): Promise<string> {
    const w = await this.call<{ new_signing_secret: string }>('POST', '/v1beta/webhooks', {
      name,
      uri,
      subscribed_events: subscribedEvents,
    });
    return w.new_signing_secret;
  }

  /** Every process's peak RSS and CPU time so far (read from /proc; zeros where unknown). */
  stats(): ProcessStats[] {
    return this.processes.map((p) => ({ role: p.role, peakRss: 0, cpuMs: 0, ...p.stats() }));
  }

  /** A dead process, if any (a crash during the run makes its numbers meaningless). */
  deadProcess(): HeraldProcess | undefined {
    return this.processes.find((p) => !p.alive);
  }

  /** Stops every process, then drops the scratch database and removes the data dirs. */
  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop()));
    for (const c of this.#cleanup.splice(0).reverse()) {
      try {
        await c();
      } catch {
        // best effort
      }
    }
  }
}
