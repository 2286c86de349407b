/**
 * The static rules every doc example follows, and the comparison of a shell block's output with
 * the expected-output block the doc shows after it.
 * @module
 */

import type { CodeBlock } from './markdown.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '0.0.0.0']);

/**
 * URLs in a code block whose host is not the loopback: pasted, such an example sends traffic off
 * the machine. Applies to every block, run or skipped.
 */
export function remoteHosts(code: string): string[] {
  const hosts: string[] = [];
  for (const m of code.matchAll(/\b(?:https?|wss?):\/\/(\[[^\]]+\]|[^\s/:'"`)<>…]+)/g)) {
    const host = m[1]!.toLowerCase();
    if (!LOOPBACK.has(host) && !host.startsWith('$') && !host.startsWith('${')) hosts.push(host);
  }
  return [...new Set(hosts)];
}

/** Placeholders a reader cannot paste (`<id>`, `{id}`, `dlv_…`): a runnable block takes ids from the previous step. */
export function placeholders(source: string, shell = true): string[] {
  // Comments may say `…`: only code counts (shell `# …`, TypeScript `// …` and `/* … */`).
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .map((l) => l.replace(/(^|\s)(#|\/\/).*$/, ''))
    .join('\n');
  const found = new Set<string>();
  // `<id>`, or `{id}` in a path, in a shell command (in TypeScript `<T>` is a type parameter; a
  // jq filter's `{state}` is not in a path).
  if (shell) for (const m of code.matchAll(/<[a-z][a-z_-]*>|(?<=[/-])\{[a-z_]+\}/gi)) found.add(m[0]);
  for (const m of code.matchAll(/\S*…\S*/g)) found.add(m[0]);
  return [...found];
}

/** Problems with a block that hold whatever it is (messages name the file and line). */
export function staticProblems(block: CodeBlock, runnable: boolean): string[] {
  const at = `${block.file}:${block.line}`;
  const problems = remoteHosts(block.code).map(
    (h) =>
      `${at}: points at ${h}, a host outside loopback (use 127.0.0.1: a pasted example must not send traffic off the machine)`,
  );
  if (runnable) {
    for (const p of placeholders(block.code, !['ts', 'typescript', 'js', 'javascript'].includes(block.lang)))
      problems.push(`${at}: placeholder ${p}: take the value from the previous step's output (e.g. with jq) instead`);
  }
  return problems;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether `actual` matches `expected`, line by line after trimming trailing blanks; `…` in the
 * expected text stands for any run of characters (within a line, or whole lines when alone).
 * Returns a message naming the first line that differs, or undefined.
 */
export function compareOutput(expected: string, actual: string): string | undefined {
  const norm = (s: string) =>
    s
      .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '') // colour codes
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .replace(/^\n+|\n+$/g, '');
  const want = norm(expected);
  const got = norm(actual);
  const pattern = want
    .split('\n')
    .map((l) => (l.trim() === '…' ? '[\\s\\S]*?' : l.split('…').map(escape).join('.*?')))
    .join('\\n');
  if (new RegExp(`^${pattern}$`).test(got)) return undefined;
  const wl = want.split('\n');
  const gl = got.split('\n');
  for (let i = 0; i < Math.max(wl.length, gl.length); i++) {
    const w = wl[i];
    const g = gl[i];
    const lineRe = w === undefined ? undefined : new RegExp(`^${w.split('…').map(escape).join('.*?')}$`);
    if (w === undefined || g === undefined || (w.trim() !== '…' && !lineRe!.test(g))) {
      return `output differs at line ${i + 1}:\n  expected: ${w ?? '(nothing)'}\n  actual:   ${g ?? '(nothing)'}\n--- whole output ---\n${got}`;
    }
  }
  return `output differs:\n--- expected ---\n${want}\n--- actual ---\n${got}`;
}
