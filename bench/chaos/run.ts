/**
 * `npm run chaos` (about 10 minutes; needs root and a local PostgreSQL for every scenario),
 * `npm run chaos -- --quick` (shorter outages and fewer kills) or `--smoke` (seconds, SQLite only):
 * faults under load on loopback, a Markdown table on stdout, the result in
 * bench/results/chaos-<timestamp>.json. `--only sigkill,receiver` runs a subset; `--out FILE`,
 * `--no-write`. Exits 1 if any event was lost or a scenario failed.
 */
import { parseArgs } from 'node:util';
import { formatTable, runChaos } from './harness.js';
import { runAbortCleanups } from './lib/on-abort.js';
import { CHAOS_SCENARIOS, type ChaosScenarioName } from './types.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});

const only = values.only?.split(',').map((s) => s.trim()) as ChaosScenarioName[] | undefined;
for (const name of only ?? []) {
  if (!CHAOS_SCENARIOS.includes(name)) {
    console.error(`unknown scenario "${name}"; choose from ${CHAOS_SCENARIOS.join(', ')}`);
    process.exit(2);
  }
}

// Interrupted: start PostgreSQL again and unmount the tmpfs before leaving.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void runAbortCleanups().finally(() => process.exit(130));
  });
}

const { result, file } = await runChaos({
  mode: values.smoke ? 'smoke' : values.quick ? 'quick' : 'full',
  ...(only ? { only } : {}),
  ...(values['no-write'] ? { out: false as const } : values.out ? { out: values.out } : {}),
});
console.log(formatTable(result));
if (file) console.error(`\nwrote ${file}`);
const failed =
  Object.values(result.scenarios).some((s) => s.status === 'error') || result.table.some((r) => r.lost > 0);
process.exit(failed ? 1 : 0);
