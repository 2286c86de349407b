import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

/**
 * Comments, docs and ADRs point only at what a reader of the repository has: not at the design
 * brief or the reference notes the project was written from, which are not in the repository.
 */
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const FOLDERS = ['packages', 'docs', 'cookbook', 'bench', 'scripts', 'README.md'];
const SKIP = new Set(['node_modules', 'dist', '.doc-test']);
const OUTSIDE = new RegExp(
  ['DESIGN\\.md', 'reference \\(?§', 'docs/reference/', '[a-z-]+\\.md §\\d', '\\(§\\d'].join('|'),
);

function files(path: string): string[] {
  if (statSync(path).isFile()) return /\.(ts|md|mjs|js|json)$/.test(path) ? [path] : [];
  return readdirSync(path)
    .filter((name) => !SKIP.has(name))
    .flatMap((name) => files(join(path, name)));
}

it('no comment, doc or ADR cites a document outside the repository', () => {
  const self = fileURLToPath(import.meta.url);
  const scanned = FOLDERS.flatMap((f) => files(join(ROOT, f))).filter((file) => file !== self);
  const hits = scanned.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (OUTSIDE.test(line) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
  );
  expect(hits).toEqual([]);
});
