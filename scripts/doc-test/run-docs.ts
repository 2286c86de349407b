/**
 * The doc-test run: which files are documentation, and running one file's shell blocks in order
 * in a {@link ShellSession} against a {@link DocEnv}.
 * @module
 */

import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compareOutput, staticProblems } from './checks.js';
import type { DocEnv } from './herald-env.js';
import {
  has,
  OUTPUT_LANGS,
  readMarkdown,
  SHELL_LANGS,
  skipReason,
  timeoutSeconds,
  TS_LANGS,
  type CodeBlock,
} from './markdown.js';
import { rewrite, ShellSession } from './shell.js';

/** README.md, docs/*.md, packages/<name>/README.md and cookbook/<name>/README.md, in that order. */
export function docFiles(repo: string): string[] {
  const files = ['README.md'];
  const md = (dir: string) =>
    existsSync(join(repo, dir))
      ? readdirSync(join(repo, dir))
          .filter((f) => f.endsWith('.md'))
          .sort()
          .map((f) => `${dir}/${f}`)
      : [];
  const readmes = (dir: string) =>
    existsSync(join(repo, dir))
      ? readdirSync(join(repo, dir), { withFileTypes: true })
          .filter((d) => d.isDirectory() && existsSync(join(repo, dir, d.name, 'README.md')))
          .map((d) => `${dir}/${d.name}/README.md`)
          .sort()
      : [];
  files.push(...md('docs'), ...readmes('packages'), ...md('cookbook'), ...readmes('cookbook'));
  return files.filter((f) => existsSync(join(repo, f)));
}

export interface DocBlocks {
  file: string;
  blocks: CodeBlock[];
}

export function readDocs(repo: string, files = docFiles(repo)): DocBlocks[] {
  return files.map((file) => ({ file, blocks: readMarkdown(join(repo, file), relative(repo, join(repo, file))) }));
}

export const isShell = (b: CodeBlock) => SHELL_LANGS.has(b.lang);
export const isTs = (b: CodeBlock) => TS_LANGS.has(b.lang);

/**
 * Rule violations that need nothing running: remote hosts anywhere, placeholders in runnable
 * blocks, and output shown after a runnable shell block that says neither `output` (compared) nor
 * `sample (reason)` (an illustration).
 */
export function lint(blocks: CodeBlock[]): string[] {
  const problems = blocks.flatMap((b) => staticProblems(b, (isShell(b) || isTs(b)) && skipReason(b) === undefined));
  blocks.forEach((b, i) => {
    const next = blocks[i + 1];
    if (!isShell(b) || skipReason(b) !== undefined || !next || !OUTPUT_LANGS.has(next.lang)) return;
    if (!has(next, 'output') && !has(next, 'sample'))
      problems.push(
        `${next.file}:${next.line}: output shown after a shell block that runs: mark it <!-- doc-test: output --> ` +
          '(compared, … for what varies) or <!-- doc-test: sample (why it cannot be compared) -->',
      );
  });
  return problems;
}

export interface FileRun {
  executed: number;
  skipped: number;
  compared: number;
  failures: string[];
}

/** Runs `blocks`' shell blocks in order in one session; stops at the first failure (later steps depend on it). */
export async function runShellBlocks(blocks: CodeBlock[], env: DocEnv): Promise<FileRun> {
  const run: FileRun = { executed: 0, skipped: 0, compared: 0, failures: [] };
  const session = new ShellSession(env.workDir, env.env);
  const unrewrite = (s: string) => {
    let out = s;
    for (const [from, to] of env.rewrites) out = out.split(to).join(from);
    return out;
  };
  try {
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i]!;
      if (!isShell(block)) continue;
      if (skipReason(block) !== undefined) {
        run.skipped++;
        continue;
      }
      const at = `${block.file}:${block.line}`;
      const result = await session.run(rewrite(block.code, env.rewrites), timeoutSeconds(block));
      run.executed++;
      const output = unrewrite(result.output);
      const mustFail = has(block, 'fails');
      if (result.timedOut) run.failures.push(`${at}: still running after ${timeoutSeconds(block)} s:\n${output}`);
      else if ((result.status !== 0) !== mustFail)
        run.failures.push(
          mustFail
            ? `${at}: marked "fails" but exited 0:\n${output}`
            : `${at}: exited with status ${result.status}:\n${output}`,
        );
      const next = blocks[i + 1];
      if (next && has(next, 'output') && OUTPUT_LANGS.has(next.lang)) {
        run.compared++;
        const diff = compareOutput(next.code, output);
        if (diff) run.failures.push(`${at}: ${diff}`);
      }
      if (run.failures.length > 0) break;
    }
  } finally {
    session.close();
  }
  return run;
}
