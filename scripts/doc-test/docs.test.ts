/**
 * The documentation, executed: every shell block of README.md, docs/*.md, packages/*\/README.md and
 * cookbook/*\/README.md runs in order against a fresh Herald and a real receiver (snippets.test.ts
 * type-checks the TypeScript snippets and applies the static rules). Writing docs that pass:
 * docs/doc-tests.md.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, startDocEnv, type DocEnv } from './herald-env.js';
import { isShell, isTs, readDocs, runShellBlocks } from './run-docs.js';
import { skipReason } from './markdown.js';

// DOC_TEST_FILES=README.md,docs/cli.md runs only those files (while writing a doc).
const only = process.env.DOC_TEST_FILES?.split(',').filter(Boolean);
const docs = readDocs(REPO, only);
const totals = { executed: 0, skipped: 0, compared: 0 };
const snippets = docs.flatMap((d) => d.blocks.filter(isTs));
const checkedSnippets = snippets.filter((b) => skipReason(b) === undefined).length;
const jsSnippets = docs.flatMap((d) => d.blocks.filter((b) => b.lang === 'js' && skipReason(b) === undefined)).length;
const started = Date.now();
let env: DocEnv;

beforeAll(async () => {
  env = await startDocEnv();
}, 60_000);

afterAll(async () => {
  await env?.close();
  const summary =
    `doc-test: ${totals.executed} shell blocks run (${totals.compared} outputs compared, ${totals.skipped} skipped with a reason), ` +
    `${checkedSnippets} TypeScript snippets type-checked (${snippets.length - checkedSnippets} skipped), ` +
    `${jsSnippets} JavaScript snippets parsed, ` +
    `${docs.length} files, ${((Date.now() - started) / 1000).toFixed(1)} s`;
  console.log(summary);
  // scripts/test.mjs prints it again beside the closing line of `npm test`.
  if (only === undefined) {
    mkdirSync(join(REPO, '.ci'), { recursive: true });
    writeFileSync(join(REPO, '.ci/doc-test.txt'), `${summary}\n`);
  }
});

describe('shell blocks run in order', () => {
  for (const { file, blocks } of docs) {
    if (!blocks.some(isShell)) continue;
    it(
      file,
      async () => {
        const run = await runShellBlocks(blocks, env);
        totals.executed += run.executed;
        totals.skipped += run.skipped;
        totals.compared += run.compared;
        expect(run.failures.join('\n\n')).toBe('');
      },
      300_000,
    );
  }
});
