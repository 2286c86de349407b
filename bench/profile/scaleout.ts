/**
 * Runs one scale-out topology (scenario 7's load: events over HTTP, round-robin to keep-alive
 * receiver endpoints) for longer than the bench does, and prints what it measured. With `--prof DIR`
 * every `herald serve` process writes a V8 CPU profile there on exit (`--cpu-prof`), and the top
 * self-time functions of each are printed: where a process spends its CPU per delivery.
 *
 *   node --conditions=@herald/source --import tsx bench/profile/scaleout.ts \
 *     [--store postgres|sqlite] [--workers 1] [--events 10000] [--seconds 15] [--prof /tmp/prof]
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ClusterSpec } from '../lib/cluster.js';
import { Receivers } from '../lib/receivers.js';
import { BENCH_PG_URL } from '../lib/scratch-db.js';
import { runTopology } from '../scenarios/scaleout-run.js';
import { topSelfTime, type CpuProfile } from './self-time.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'postgres' },
    workers: { type: 'string', default: '1' },
    events: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '15' },
    endpoints: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    prof: { type: 'string' },
    top: { type: 'string', default: '25' },
  },
});
const spec: ClusterSpec =
  values.store === 'sqlite'
    ? { label: 'SQLite', store: 'sqlite' }
    : { label: `PostgreSQL, 1 api + ${values.workers} worker(s)`, store: 'postgres', workers: Number(values.workers) };
if (values.prof) {
  rmSync(values.prof, { recursive: true, force: true });
  mkdirSync(values.prof, { recursive: true });
  process.env.BENCH_HERALD_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${values.prof}`;
}
const endpoints = Number(values.endpoints);
const rx = await Receivers.start(endpoints, { record: true });
try {
  const r = await runTopology(
    spec,
    rx,
    {
      events: Number(values.events),
      endpoints,
      producerConcurrency: Number(values.connections),
      capMs: Number(values.seconds) * 1000,
      warmupEvents: 500,
      readyMs: 60_000,
    },
    BENCH_PG_URL,
  );
  console.log(
    `${r.label}: ingest ${Math.round(r.ingestPerSec)}/s, delivered ${Math.round(r.perSec)}/s ` +
      `(${r.delivered} in ${r.elapsedMs} ms${r.complete ? '' : ', capped'}), p50 ${Math.round(r.latency.p50)} ms`,
  );
  for (const p of r.processes)
    console.log(`  ${p.role}: ${(p.cpuMs / Math.max(1, r.delivered)).toFixed(2)} CPU ms/delivery`);
  if (r.pgServerCpuMs !== undefined)
    console.log(
      `  postgres (server, all processes): ${(r.pgServerCpuMs / Math.max(1, r.delivered)).toFixed(2)} CPU ms/delivery`,
    );
  if (r.writes) console.log(`  per delivery: ${JSON.stringify(r.writes)}`);
  if (r.waits.length)
    console.log(
      `  waits: ${r.waits
        .slice(0, 5)
        .map((w) => `${w.wait} ${Math.round(w.share * 100)}%`)
        .join(', ')} (lock ${(r.lockShare * 100).toFixed(1)}% of ${r.activeSamples})`,
    );
  for (const w of r.lockWaits) console.log(`    ${w.wait} ${(w.share * 100).toFixed(1)}%: ${w.statement}`);
} finally {
  await rx.close();
}
if (values.prof) {
  for (const f of readdirSync(values.prof).filter((n) => n.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(values.prof, f), 'utf8')) as CpuProfile;
    console.log(`\n## ${f}\n`);
    console.log(topSelfTime(profile, Number(values.top)));
    console.log(topSelfTime(profile, 15, 'file'));
  }
}
process.exit(0);
