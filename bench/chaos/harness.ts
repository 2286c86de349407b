import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine } from '../lib/machine.js';
import { ms } from '../scenarios/shared.js';
import { diskFullScenario } from './scenarios/disk-full.js';
import { pgOutageScenario } from './scenarios/pg-outage.js';
import { receiverScenario } from './scenarios/receiver.js';
import { rollingScenario } from './scenarios/rolling.js';
import { skipped } from './scenarios/shared.js';
import { sigkillScenario } from './scenarios/sigkill.js';
import { workerKillScenario } from './scenarios/worker-kill.js';
import {
  CHAOS_SCENARIOS,
  type ChaosContext,
  type ChaosMode,
  type ChaosResult,
  type ChaosScenarioName,
  type ChaosScenarioResult,
} from './types.js';

const RUNNERS: Record<ChaosScenarioName, (ctx: ChaosContext) => Promise<ChaosScenarioResult>> = {
  sigkill: sigkillScenario,
  'pg-outage': pgOutageScenario,
  'worker-kill': workerKillScenario,
  receiver: receiverScenario,
  'disk-full': diskFullScenario,
  rolling: rollingScenario,
};

/** `--smoke` runs only what needs neither root nor PostgreSQL, with tiny counts. */
const IN_SMOKE = new Set<ChaosScenarioName>(['sigkill', 'receiver']);

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export interface ChaosOptions {
  mode: ChaosMode;
  only?: readonly ChaosScenarioName[];
  /** A path for the JSON result, or false for none. Default bench/results/chaos-<timestamp>.json. */
  out?: string | false;
  quiet?: boolean;
}

/** Runs the scenarios one after another, each with its own Herald processes, data dirs and receivers. */
export async function runChaos(opts: ChaosOptions): Promise<{ result: ChaosResult; file?: string }> {
  const log = opts.quiet ? () => undefined : (line: string) => console.error(line);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const machine = describeMachine(opts.mode === 'smoke' ? 20 : 100);
  log(`herald chaos (${opts.mode}): ${machine.nproc} CPUs, ${machine.cpu}, Node ${machine.node}`);
  const ctx: ChaosContext = { mode: opts.mode, log };
  const scenarios: ChaosResult['scenarios'] = {};
  for (const name of CHAOS_SCENARIOS) {
    if (opts.only && !opts.only.includes(name)) continue;
    let r: ChaosScenarioResult;
    if (opts.mode === 'smoke' && !IN_SMOKE.has(name)) {
      r = skipped('not in --smoke (needs PostgreSQL or root)');
    } else {
      log(`${name}…`);
      const t = performance.now();
      try {
        r = await RUNNERS[name](ctx);
      } catch (err) {
        const e = err as Error;
        r = { status: 'error', note: e.message.slice(0, 2000), elapsedMs: performance.now() - t, rows: [], data: {} };
      }
      log(`${name}: ${r.status} in ${ms(r.elapsedMs)}${r.note ? ` (${r.note.split('\n')[0]})` : ''}`);
    }
    scenarios[name] = r;
  }
  const result: ChaosResult = {
    schema: 'herald-chaos/1',
    mode: opts.mode,
    startedAt,
    elapsedMs: performance.now() - started,
    machine,
    scenarios,
    table: Object.values(scenarios).flatMap((s) => s.rows),
  };
  if (opts.out === false) return { result };
  const file = opts.out ?? join(RESULTS_DIR, `chaos-${startedAt.replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return { result, file };
}

/** The Markdown table (every row), then one line per skipped or failed scenario. */
export function formatTable(result: ChaosResult): string {
  const lines = [
    '| Scenario | Accepted | Delivered | Duplicated | Lost | Drain | Notes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of result.table) {
    const note = r.note.replace(/\|/g, '\\|');
    lines.push(
      `| ${r.label} | ${r.accepted} | ${r.delivered} | ${r.duplicated} | ${r.lost} | ${ms(r.drainMs)} | ${note} |`,
    );
  }
  for (const [name, s] of Object.entries(result.scenarios)) {
    if (s.status !== 'ok') lines.push('', `${name}: ${s.status}${s.note ? ` — ${s.note.split('\n')[0]}` : ''}`);
  }
  return lines.join('\n');
}
