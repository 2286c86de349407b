/**
 * The docs' static checks, beside docs.test.ts (which runs their shell blocks) so that the two
 * run in parallel: every TypeScript snippet type-checks under the project's strict settings, every
 * JavaScript snippet parses, and no code block points at a host outside loopback or pastes a
 * placeholder.
 */

import { expect, it } from 'vitest';
import { REPO } from './herald-env.js';
import { skipReason } from './markdown.js';
import { isTs, lint, readDocs } from './run-docs.js';
import { checkJsSyntax, typeCheck } from './typescript.js';

const only = process.env.DOC_TEST_FILES?.split(',').filter(Boolean);
const docs = readDocs(REPO, only);

it('no example points at a host outside loopback or pastes a placeholder', () => {
  expect(docs.flatMap((d) => lint(d.blocks))).toEqual([]);
});

it('every TypeScript snippet type-checks under the strict settings', () => {
  const snippets = docs.flatMap((d) => d.blocks.filter(isTs));
  const checked = snippets.filter((b) => skipReason(b) === undefined);
  console.log(
    `doc-test: ${checked.length} TypeScript snippets type-checked (${snippets.length - checked.length} skipped)`,
  );
  expect(typeCheck(checked, REPO).map((e) => e.message)).toEqual([]);
}, 180_000);

it('every JavaScript snippet parses (node --check)', () => {
  const snippets = docs.flatMap((d) => d.blocks.filter((b) => b.lang === 'js' || b.lang === 'javascript'));
  const checked = snippets.filter((b) => skipReason(b) === undefined);
  console.log(`doc-test: ${checked.length} JavaScript snippets parsed (${snippets.length - checked.length} skipped)`);
  expect(checkJsSyntax(checked, REPO).map((e) => e.message)).toEqual([]);
});
