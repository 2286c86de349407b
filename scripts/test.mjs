#!/usr/bin/env node
// Runs the whole test suite (type-check first, then vitest, the doc tests included) and prints
// the closing summary line CI reads: `tests: N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

const report = '.ci/vitest.json';
mkdirSync('.ci', { recursive: true });
if (existsSync(report)) rmSync(report);

const docSummary = '.ci/doc-test.txt';
if (existsSync(docSummary)) rmSync(docSummary);

console.log('type-checking every package, test and script (tsc -p tsconfig.json, about 20 s)…');
const typecheck = spawnSync('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'], { stdio: 'inherit' });
if (typecheck.status !== 0) {
  console.log('type-check failed');
  console.log('tests: 0 passed, 1 failed');
  process.exit(1);
}

console.log(
  'type-check passed; running the suites with vitest (the docs project runs the docs against a fresh Herald)…',
);
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
const run = spawnSync('npx', args, { stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} else {
  failed = 1;
}
// The @google/genai suites again, on the current 3.x (scripts/genai3-suites.mjs says why apart).
let genai3Status = 0;
if (process.env.HERALD_SKIP_GENAI3 !== '1' && process.argv.length <= 2) {
  // Absolute: the 3.x config runs vitest from packages/server.
  const genaiReport = resolve('.ci/vitest-genai3.json');
  if (existsSync(genaiReport)) rmSync(genaiReport);
  console.log('\n== the @google/genai suites on 3.3.0 (the pinned 2.x ran above)');
  const g = spawnSync(
    'node',
    ['scripts/genai3-suites.mjs', '3.3.0', '--reporter=default', '--reporter=json', `--outputFile.json=${genaiReport}`],
    { stdio: 'inherit' },
  );
  if (g.status === 75) {
    console.log('genai3: skipped: @google/genai 3.3.0 could not be installed');
  } else if (existsSync(genaiReport)) {
    const r = JSON.parse(readFileSync(genaiReport, 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    genai3Status = g.status ?? 1;
    console.log(`genai3: ${r.numPassedTests ?? 0} passed, ${r.numFailedTests ?? 0} failed on @google/genai 3.3.0`);
  } else {
    failed += 1;
    genai3Status = 1;
  }
}
// What the doc tests ran (written by scripts/doc-test/docs.test.ts), just above the closing line.
if (existsSync(docSummary)) console.log(readFileSync(docSummary, 'utf8').trim());
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(run.status === 0 && genai3Status === 0 && failed === 0 ? 0 : 1);
