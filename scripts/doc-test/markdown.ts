/**
 * Reads the fenced code blocks of a Markdown file, each with the `<!-- doc-test: … -->` directive
 * written on the line(s) just above its fence (blank lines allowed in between).
 *
 * Directives (the whole convention; docs/doc-tests.md explains it to writers):
 * - `skip (reason)`: not run or type-checked; the reason is required.
 * - `output`: on a plain block after a shell block: what that block prints, compared line by
 *   line, where `…` stands for any text.
 * - `sample (reason)`: on a plain block after a shell block: an illustration, not compared (a plain
 *   block right after a shell block that runs must say `output` or `sample`).
 * - `fails`: the shell block must exit non-zero (an example of an error).
 * - `timeout N`: the shell block may take N seconds (default 30).
 * - `declare …`: on a TypeScript fragment, the names it takes from its surroundings, e.g.
 *   `declare const secret: string` (prepended when type-checking).
 * @module
 */

import { readFileSync } from 'node:fs';

export type Directive =
  | { kind: 'skip'; reason: string }
  | { kind: 'output' }
  | { kind: 'sample'; reason: string }
  | { kind: 'fails' }
  | { kind: 'timeout'; seconds: number }
  | { kind: 'declare'; code: string };

export interface CodeBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word (`sh`, `ts`, …), `''` for a plain block. */
  lang: string;
  code: string;
  directives: Directive[];
}

const DIRECTIVE = /^<!--\s*doc-test:\s*(.*?)\s*-->$/;

export function parseDirective(text: string, where: string): Directive {
  const skip = /^skip\s*\((.+)\)$/.exec(text);
  if (skip) return { kind: 'skip', reason: skip[1]! };
  if (text === 'output') return { kind: 'output' };
  const sample = /^sample\s*\((.+)\)$/.exec(text);
  if (sample) return { kind: 'sample', reason: sample[1]! };
  if (text === 'fails') return { kind: 'fails' };
  if (text.startsWith('declare ')) return { kind: 'declare', code: text };
  const timeout = /^timeout\s+(\d+)$/.exec(text);
  if (timeout) return { kind: 'timeout', seconds: Number(timeout[1]) };
  throw new Error(
    `${where}: unknown doc-test directive "${text}" (use skip (reason), output, sample (reason), fails, timeout <seconds> or declare …)`,
  );
}

/** Every fenced block of `text`, in order; `file` names it in messages. */
export function parseMarkdown(text: string, file: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  let pending: Directive[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const directive = DIRECTIVE.exec(line.trim());
    if (directive) {
      pending.push(parseDirective(directive[1]!, `${file}:${i + 1}`));
      continue;
    }
    const fence = /^(\s*)(```+|~~~+)\s*([^\s`]*)/.exec(line);
    if (!fence) {
      if (line.trim() !== '') pending = [];
      continue;
    }
    const [, indent, marker, lang] = fence;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trimStart().startsWith(marker!)) {
      body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!);
      j++;
    }
    if (j >= lines.length) throw new Error(`${file}:${i + 1}: code block is never closed`);
    blocks.push({ file, line: i + 1, lang: lang ?? '', code: body.join('\n'), directives: pending });
    pending = [];
    i = j;
  }
  return blocks;
}

export function readMarkdown(path: string, name = path): CodeBlock[] {
  return parseMarkdown(readFileSync(path, 'utf8'), name);
}

export const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console']);
export const TS_LANGS = new Set(['ts', 'typescript']);
export const OUTPUT_LANGS = new Set(['', 'text', 'txt', 'json']);

export function skipReason(block: CodeBlock): string | undefined {
  for (const d of block.directives) if (d.kind === 'skip') return d.reason;
  return undefined;
}

export function has(block: CodeBlock, kind: Directive['kind']): boolean {
  return block.directives.some((d) => d.kind === kind);
}

export function timeoutSeconds(block: CodeBlock): number {
  for (const d of block.directives) if (d.kind === 'timeout') return d.seconds;
  return 30;
}

/** The `declare …` lines a TypeScript fragment is checked with. */
export function declarations(block: CodeBlock): string {
  return block.directives.flatMap((d) => (d.kind === 'declare' ? [`${d.code};\n`] : [])).join('');
}
