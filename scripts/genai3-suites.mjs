// Runs the @google/genai suites (packages/server/test/genai-*.e2e.test.ts) against @google/genai 3.x.
//
//   node scripts/genai3-suites.mjs [version] [vitest args…]     (default 3.3.0)
//
// `npm test` runs it after the main suites (HERALD_SKIP_GENAI3=1 skips it). Exit 75 means 3.x
// could not be installed (no registry): the caller reports the suites as skipped, with the reason.
//
// 3.x declares "engines": {"node": ">=22"} and this repository's .npmrc has engine-strict=true
// (Herald supports Node >= 20.19), so 3.x cannot be a dependency in package-lock.json: `npm ci`
// would refuse it on Node 20. This script installs it beside the lockfile instead, in
// node_modules/.cache/genai3 (engine check off), and runs the same test files with
// `@google/genai` aliased to that copy. Expected on 3.3.0: everything passes except
// genai-sdk's "models.generateVideos", which 3.x runs against Vertex AI only.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const version = process.argv[2] ?? '3.3.0';
const vitestArgs = process.argv.slice(3);
const dir = join(root, 'node_modules', '.cache', 'genai3');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));

const run = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const install = spawnSync(
  'npm',
  [
    'install',
    '--no-save',
    '--no-package-lock',
    '--engine-strict=false',
    '--no-audit',
    '--no-fund',
    `@google/genai@${version}`,
  ],
  { cwd: dir, stdio: 'inherit' },
);
if (install.status !== 0) {
  console.error(`genai3: @google/genai@${version} could not be installed; its suites did not run`);
  process.exit(75);
}

// Written under node_modules so that `vitest/config` resolves from the repository's own copy.
const config = join(dir, 'vitest.genai3.config.mjs');
writeFileSync(
  config,
  `import { defineConfig } from 'vitest/config';
export default defineConfig({
  resolve: {
    conditions: ['@herald/source'],
    alias: { '@google/genai': ${JSON.stringify(join(dir, 'node_modules/@google/genai/dist/node/index.mjs'))} },
  },
  ssr: { resolve: { conditions: ['@herald/source'] } },
  test: {
    root: ${JSON.stringify(join(root, 'packages/server'))},
    include: ['test/genai-*.e2e.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
`,
);
run('npx', ['vitest', 'run', '--config', config, ...vitestArgs], root);
