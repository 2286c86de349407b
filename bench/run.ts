/**
 * `npm run bench` (about 10 minutes) or `npm run bench -- --quick` (about 1 minute): every scenario
 * on loopback, a Markdown table on stdout, the full result in bench/results/<timestamp>.json.
 * `--only latency,isolation` runs a subset; `--out FILE` writes the JSON elsewhere; `--no-write` none.
 */
import { parseArgs } from 'node:util';
import { formatTables, runBench } from './harness.js';
import type { Mode } from './lib/sizes.js';
import { SCENARIOS, type ScenarioName } from './types.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});

const mode: Mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
const only = values.only?.split(',').map((s) => s.trim()) as ScenarioName[] | undefined;
for (const name of only ?? []) {
  if (!SCENARIOS.includes(name)) {
    console.error(`unknown scenario "${name}"; choose from ${SCENARIOS.join(', ')}`);
    process.exit(2);
  }
}

const { result, file } = await runBench({
  mode,
  ...(only ? { only } : {}),
  ...(values['no-write'] ? { out: false as const } : values.out ? { out: values.out } : {}),
});
console.log(formatTables(result));
if (file) console.error(`\nwrote ${file}`);
process.exit(Object.values(result.scenarios).some((r) => r.status === 'error') ? 1 : 0);
