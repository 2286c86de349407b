import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './lib/machine.js';
import { SIZES, type Mode } from './lib/sizes.js';
import { forkHelper, IpcClient } from './lib/child.js';
import { Receivers } from './lib/receivers.js';
import type { ScenarioReply, ScenarioRequest } from './lib/scenario-protocol.js';
import { OWN_PROCESS, QUICK_ON_REQUEST, RUNNERS } from './scenarios/index.js';
import {
  SCENARIOS,
  type BenchResult,
  type ScenarioContext,
  type ScenarioName,
  type ScenarioResult,
  type TableRow,
  type TargetCheck,
} from './types.js';

/** Runs a scenario in a fresh child process (see OWN_PROCESS). */
async function inOwnProcess(name: ScenarioName, ctx: ScenarioContext): Promise<ScenarioResult> {
  const ipc = new IpcClient<ScenarioRequest, ScenarioReply>(forkHelper('./scenario-process.ts'));
  try {
    const reply = await ipc.call<Extract<ScenarioReply, { ok: true }>>({
      name,
      mode: ctx.mode,
      earlier: ctx.earlier,
      quiet: ctx.quiet,
    });
    return reply.result;
  } finally {
    await ipc.stop();
  }
}

function notInQuick(name: ScenarioName): ScenarioResult {
  const note = `not part of --quick unless named (it starts herald processes from source): --quick --only ${name}`;
  return { status: 'skipped', note, elapsedMs: 0, data: {}, rows: [], targets: [] };
}

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

export interface RunOptions {
  mode: Mode;
  /** Run only these scenarios (isolation compares with latency when both run). */
  only?: readonly ScenarioName[];
  /** Where to write the JSON result: a path, or false for none. Default bench/results/<timestamp>.json. */
  out?: string | false;
  /** No progress lines on stderr (the smoke test). */
  quiet?: boolean;
}

/**
 * Runs the scenarios one after another (each with its own Herald, data dir and helper processes)
 * and collects a result that the table, the JSON file and the smoke test all read.
 */
export async function runBench(opts: RunOptions): Promise<{ result: BenchResult; file?: string }> {
  const log = opts.quiet ? () => undefined : (line: string) => console.error(line);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const machine = describeMachine(opts.mode === 'smoke' ? 20 : 200);
  log(
    `herald bench (${opts.mode}): ${machine.nproc} CPUs, ${machine.cpu}, Node ${machine.node}, load ${machine.loadAvg.join(' ')}, fsync p50 ${machine.fsyncMs.p50} ms / p99 ${machine.fsyncMs.p99} ms`,
  );
  const ctx: ScenarioContext = {
    mode: opts.mode,
    sizes: SIZES[opts.mode],
    log,
    quiet: opts.quiet ?? false,
    earlier: {},
  };
  const scenarios: Partial<Record<ScenarioName, ScenarioResult>> = {};
  for (const name of SCENARIOS) {
    if (opts.only && !opts.only.includes(name)) continue;
    const t = performance.now();
    let r: ScenarioResult;
    try {
      if (opts.mode === 'quick' && !opts.only && QUICK_ON_REQUEST.has(name)) r = notInQuick(name);
      else r = OWN_PROCESS.has(name) ? await inOwnProcess(name, ctx) : await RUNNERS[name](ctx);
    } catch (err) {
      const e = err as Error;
      log(`${name}: failed: ${e.stack ?? e.message}`);
      r = { status: 'error', note: e.message, elapsedMs: performance.now() - t, data: {}, rows: [], targets: [] };
    }
    r.elapsedMs = Math.round(r.elapsedMs);
    scenarios[name] = r;
    ctx.earlier[name] = r;
    log(`${name}: ${r.status}${r.note ? ` (${r.note})` : ''} in ${(r.elapsedMs / 1000).toFixed(1)} s`);
  }
  await Receivers.shutdown();
  const table: TableRow[] = [];
  const targets: TargetCheck[] = [];
  for (const r of Object.values(scenarios)) {
    table.push(...r.rows);
    targets.push(...r.targets);
  }
  const result: BenchResult = {
    schema: 'herald-bench/1',
    mode: opts.mode,
    startedAt,
    elapsedMs: Math.round(performance.now() - started),
    loadAvgEnd: Math.round((loadavg()[0] ?? 0) * 10) / 10,
    machine,
    scenarios,
    table,
    targets,
  };
  if (opts.out === false) return { result };
  const file = opts.out ?? join(RESULTS_DIR, `${startedAt.replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return { result, file };
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The result as Markdown tables (what `npm run bench` prints and docs/benchmarks.md keeps). */
export function formatTables(result: BenchResult): string {
  const lines: string[] = [];
  const m = result.machine;
  lines.push(
    `Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memGiB} GiB, Node ${m.node}, ${m.platform}; load average ${m.loadAvg[0]} at start, ${result.loadAvgEnd} at end; fsync (4 KiB) p50 ${m.fsyncMs.p50} ms, p99 ${m.fsyncMs.p99} ms; commit ${m.git.commit}${m.git.dirty ? ' (+ uncommitted changes)' : ''}; mode ${result.mode}, ${(result.elapsedMs / 1000).toFixed(0)} s`,
  );
  lines.push('');
  lines.push('| Scenario | Metric | Herald | Baseline | Comparison |');
  lines.push('| --- | --- | --- | --- | --- |');
  for (const r of result.table)
    lines.push(`| ${[r.scenario, r.metric, r.herald, r.baseline, r.comparison].map(cell).join(' | ')} |`);
  const notes = Object.entries(result.scenarios).filter(([, r]) => r.status !== 'ok');
  if (notes.length > 0) {
    lines.push('');
    for (const [name, r] of notes) lines.push(`- ${name}: ${r.status}${r.note ? `: ${r.note}` : ''}`);
  }
  lines.push('');
  lines.push('| Target | Result | Met |');
  lines.push('| --- | --- | --- |');
  for (const t of result.targets) {
    const met = t.met === null ? 'n/a' : t.met ? 'yes' : '**no**';
    lines.push(`| ${cell(t.target)} | ${cell(t.result)} | ${met} |`);
  }
  return lines.join('\n');
}
