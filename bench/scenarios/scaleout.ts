import type { ClusterSpec } from '../lib/cluster.js';
import { Receivers } from '../lib/receivers.js';
import { mb } from '../lib/rss.js';
import { BENCH_PG_URL, pgUnavailable, redact } from '../lib/scratch-db.js';
import { ratio } from '../lib/stats.js';
import type { ScenarioContext, ScenarioResult, TableRow } from '../types.js';
import { runTopology, type TopologyRun } from './scaleout-run.js';
import { ms, num, times } from './shared.js';

const SQLITE: ClusterSpec = { label: 'SQLite, 1 all process', store: 'sqlite' };
const PG1: ClusterSpec = { label: 'PostgreSQL, 1 api + 1 worker', store: 'postgres', workers: 1 };
const PG2: ClusterSpec = { label: 'PostgreSQL, 1 api + 2 workers', store: 'postgres', workers: 2 };
const PG4: ClusterSpec = { label: 'PostgreSQL, 1 api + 4 workers', store: 'postgres', workers: 4 };
const SHORT = ['SQLite', 'PG 1 worker', 'PG 2 workers', 'PG 4 workers'] as const;

/**
 * Scenario 7, scale-out: the same HTTP load (events round-robin to keep-alive receiver endpoints in
 * a child process) against four deployments of `herald serve` processes (from the built `dist/`
 * when it is fresh, else from source): SQLite with one `all` process, and PostgreSQL with one `api`
 * and 1, 2 and 4 `worker`s (each on its own fresh scratch database). Reports the lock-wait share
 * of PostgreSQL's active sessions and the CPU per delivery of each process. Skipped, with the
 * reason, when PostgreSQL does not answer.
 */
export async function scaleoutScenario(ctx: ScenarioContext): Promise<ScenarioResult> {
  const s = ctx.sizes.scaleout;
  const started = performance.now();
  const pgUrl = BENCH_PG_URL;
  const why = await pgUnavailable(pgUrl);
  if (why) {
    ctx.log(`scaleout: skipped: ${why}`);
    return { status: 'skipped', note: why, elapsedMs: performance.now() - started, data: {}, rows: [], targets: [] };
  }
  const rx = await Receivers.start(s.endpoints, { record: true });
  const runs: TopologyRun[] = [];
  try {
    // The smoke run (a harness check, not a measurement) leaves the 4-worker deployment out.
    for (const spec of ctx.mode === 'smoke' ? [SQLITE, PG1, PG2] : [SQLITE, PG1, PG2, PG4]) {
      ctx.log(`scaleout: ${spec.label}, ${num(s.events)} events to ${s.endpoints} endpoints (cap ${s.capMs / 1000} s)`);
      const r = await runTopology(spec, rx, s, pgUrl);
      ctx.log(
        `scaleout: ${spec.label}: started in ${ms(r.startMs)}, ingest ${num(r.ingestPerSec)}/s, delivered ${num(r.perSec)}/s`,
      );
      runs.push(r);
    }
  } finally {
    await rx.close();
  }
  const [sqlite, pg1, pg2, pg4] = runs as [TopologyRun, TopologyRun, TopologyRun, TopologyRun | undefined];
  const pgRuns = [pg1, pg2, ...(pg4 ? [pg4] : [])];
  const ratios = {
    pg1VsSqlite: ratio(pg1.perSec, sqlite.perSec),
    pg2VsSqlite: ratio(pg2.perSec, sqlite.perSec),
    pg2VsPg1: ratio(pg2.perSec, pg1.perSec),
    pg4VsPg2: pg4 ? ratio(pg4.perSec, pg2.perSec) : null,
    pg4VsSqlite: pg4 ? ratio(pg4.perSec, sqlite.perSec) : null,
    ingestPg1VsSqlite: ratio(pg1.ingestPerSec, sqlite.ingestPerSec),
    ingestPg2VsPg1: ratio(pg2.ingestPerSec, pg1.ingestPerSec),
  };
  return {
    status: 'ok',
    elapsedMs: performance.now() - started,
    data: { sizes: s, postgres: redact(pgUrl), runs, ratios },
    rows: tableRows(s.events, s.endpoints, runs, ratios),
    targets: [
      {
        scenario: 'scaleout',
        target: 'PostgreSQL, 1 api + 1 worker ≥ 0.6× SQLite (delivered/s)',
        result: `${times(ratios.pg1VsSqlite)} (${num(pg1.perSec)}/s vs ${num(sqlite.perSec)}/s)`,
        met: ratios.pg1VsSqlite >= 0.6,
      },
      {
        scenario: 'scaleout',
        target: 'each added worker ≥ 0.95× the throughput before it (2 vs 1, 4 vs 2 workers)',
        result: `${times(ratios.pg2VsPg1)} (2 vs 1)${ratios.pg4VsPg2 !== null ? `; ${times(ratios.pg4VsPg2)} (4 vs 2)` : ''}`,
        met: ratios.pg2VsPg1 >= 0.95 && (ratios.pg4VsPg2 === null || ratios.pg4VsPg2 >= 0.95),
      },
      {
        scenario: 'scaleout',
        target: 'lock waits < 10 % of PostgreSQL active-session samples',
        result:
          pgRuns.map((r) => `${(r.lockShare * 100).toFixed(1)} %`).join(' / ') +
          (pg4 ? ' (1 / 2 / 4 workers)' : ' (1 / 2 workers)'),
        met: pgRuns.every((r) => r.lockShare < 0.1),
      },
    ],
  };
}

/** `UPDATE projects`, `INSERT INTO attempts`, `COMMIT`…: what a sampled statement does, in a few words. */
function statementName(sql: string): string {
  const m = /\b(UPDATE \w+|INSERT INTO \w+|DELETE FROM \w+|FROM \w+|COMMIT|BEGIN)/i.exec(sql);
  return m?.[1] ?? sql.split(' ').slice(0, 3).join(' ');
}

function tableRows(
  events: number,
  endpoints: number,
  runs: TopologyRun[],
  ratios: {
    pg1VsSqlite: number;
    pg2VsSqlite: number;
    pg2VsPg1: number;
    pg4VsPg2: number | null;
    pg4VsSqlite: number | null;
  },
): TableRow[] {
  const [sqlite, pg1, pg2, pg4] = runs as [TopologyRun, TopologyRun, TopologyRun, TopologyRun | undefined];
  const row = (metric: string, herald: string, baseline = '', comparison = ''): TableRow => ({
    scenario: '7 scale-out',
    metric,
    herald,
    baseline,
    comparison,
  });
  const rate = (r: TopologyRun) =>
    `${num(r.perSec)}/s${r.complete ? '' : ` (capped: ${num(r.delivered)} of ${num(events)} in ${(r.elapsedMs / 1000).toFixed(0)} s${r.caughtUp ? '' : `, ${num(r.accepted - r.delivered)} accepted not yet delivered`})`}`;
  const metric = (r: TopologyRun) =>
    `${r.label}: delivered/s, ${num(events)} events over HTTP to ${endpoints} endpoints (ingest ${num(r.ingestPerSec)}/s)`;
  const per = (f: (r: TopologyRun) => string, from = 0) =>
    runs
      .slice(from)
      .map((r, i) => `${SHORT[from + i]} ${f(r)}`)
      .join('; ');
  const procs = (r: TopologyRun, f: (p: TopologyRun['processes'][number]) => string) =>
    r.processes.map((p) => `${p.role} ${f(p)}`).join(' + ');
  const waits = (r: TopologyRun) =>
    r.waits
      .slice(0, 3)
      .map((w) => `${w.wait} ${Math.round(w.share * 100)} % (${statementName(w.statement)})`)
      .join(', ');
  return [
    row(metric(sqlite), rate(sqlite), '', 'reference'),
    row(metric(pg1), rate(pg1), `${num(sqlite.perSec)}/s (SQLite)`, `${times(ratios.pg1VsSqlite)} SQLite`),
    row(
      metric(pg2),
      rate(pg2),
      `${num(pg1.perSec)}/s (1 worker)`,
      `${times(ratios.pg2VsPg1)} 1 worker; ${times(ratios.pg2VsSqlite)} SQLite`,
    ),
    ...(pg4
      ? [
          row(
            metric(pg4),
            rate(pg4),
            `${num(pg2.perSec)}/s (2 workers)`,
            `${times(ratios.pg4VsPg2 ?? 0)} 2 workers; ${times(ratios.pg4VsSqlite ?? 0)} SQLite`,
          ),
        ]
      : []),
    row(
      'request sent → signed POST under this load, p50 / p99 (capped runs: of the delivered)',
      per((r) => `${ms(r.latency.p50)} / ${ms(r.latency.p99)}`),
    ),
    row('what PostgreSQL sessions waited on during the run (top 3, share of active samples)', per(waits, 1)),
    row(
      'lock waits (`Lock:*`) of PostgreSQL active-session samples (target < 10 %)',
      per((r) => `${(r.lockShare * 100).toFixed(1)} % of ${num(r.activeSamples)}`, 1),
    ),
    row(
      'PostgreSQL per delivery: commits, row writes (this database), WAL bytes (whole server, shared)',
      per(
        (r) =>
          r.writes
            ? `${r.writes.commitsPerDelivery} / ${r.writes.rowWritesPerDelivery} / ${num(r.writes.walBytesPerDelivery)} B`
            : '–',
        1,
      ),
    ),
    row(
      'CPU ms per delivery, per process',
      per((r) => procs(r, (p) => (r.delivered > 0 ? (p.cpuMs / r.delivered).toFixed(2) : '–'))),
    ),
    row(
      'CPU ms per delivery: Herald processes + the PostgreSQL server (all its processes, this host)',
      per((r) => {
        if (r.delivered === 0) return '–';
        const herald = r.processes.reduce((sum, p) => sum + p.cpuMs, 0) / r.delivered;
        if (r.pgServerCpuMs === undefined) return herald.toFixed(2);
        const pgMs = r.pgServerCpuMs / r.delivered;
        return `${herald.toFixed(2)} + ${pgMs.toFixed(2)} = ${(herald + pgMs).toFixed(2)}`;
      }),
    ),
    row(
      'CPU seconds per process during the run',
      per((r) => procs(r, (p) => (p.cpuMs / 1000).toFixed(1))),
    ),
    row(
      'peak RSS per process (MB)',
      per((r) => procs(r, (p) => String(mb(p.peakRss)))),
    ),
    row(
      'herald serve started from',
      per((r) => r.from),
    ),
    row(
      'processes started together → all answer /readyz',
      per((r) => `${(r.startMs / 1000).toFixed(1)} s`),
    ),
  ];
}
