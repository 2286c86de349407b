/**
 * Type-checks the docs' TypeScript snippets under the project's own compiler options (strict,
 * exactOptionalPropertyTypes, noUncheckedIndexedAccess, Node types, the workspace packages
 * resolved to their sources). Each snippet is its own module, written to `.doc-test/snippets/` at the
 * repository root so that imports resolve as they would in a reader's project.
 * @module
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { declarations, type CodeBlock } from './markdown.js';

export interface SnippetError {
  block: CodeBlock;
  message: string;
}

function compilerOptions(repo: string): ts.CompilerOptions {
  const configPath = join(repo, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, repo, undefined, configPath);
  return { ...parsed.options, noEmit: true, noUnusedLocals: false };
}

/** Type errors of `blocks` (TypeScript snippets), each attributed to the doc line it comes from. */
export function typeCheck(blocks: CodeBlock[], repo: string, dirName = '.doc-test/snippets'): SnippetError[] {
  const dir = join(repo, dirName);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, CodeBlock>();
  blocks.forEach((block, i) => {
    const name = join(dir, `${block.file.replace(/[^a-z0-9]+/gi, '-')}-L${block.line}-${i}.ts`);
    // A snippet without import or export is a script: `export {}` keeps its names to itself.
    const isModule = /^\s*(import|export)\s/m.test(block.code);
    // The declarations go on the snippet's last line, so that error lines stay the doc's lines.
    writeFileSync(name, `${block.code}\n${isModule ? '' : 'export {}; '}${declarations(block)}`);
    files.set(name, block);
  });
  const program = ts.createProgram([...files.keys()], compilerOptions(repo));
  const errors: SnippetError[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const block = d.file ? files.get(d.file.fileName) : undefined;
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!block || !d.file) {
      errors.push({ block: blocks[0] ?? ({} as CodeBlock), message: `TS${d.code}: ${text}` });
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    errors.push({ block, message: `${block.file}:${block.line + 1 + line}: TS${d.code}: ${text}` });
  }
  return errors;
}

/** Syntax errors of JavaScript snippets (`node --check`, each as an ES module). */
export function checkJsSyntax(blocks: CodeBlock[], repo: string, dirName = '.doc-test/js'): SnippetError[] {
  const dir = join(repo, dirName);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return blocks.flatMap((block, i) => {
    const name = join(dir, `${block.file.replace(/[^a-z0-9]+/gi, '-')}-L${block.line}-${i}.mjs`);
    writeFileSync(name, `${block.code}\n`);
    const r = spawnSync(process.execPath, ['--check', name], { encoding: 'utf8' });
    if (r.status === 0) return [];
    const line = /\.mjs:(\d+)/.exec(r.stderr)?.[1];
    const at = line === undefined ? block.line : block.line + Number(line);
    const message = r.stderr.split('\n').find((l) => /Error/.test(l)) ?? r.stderr.trim();
    return [{ block, message: `${block.file}:${at}: ${message}` }];
  });
}
