import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareOutput, placeholders, remoteHosts } from './checks.js';
import type { DocEnv } from './herald-env.js';
import { REPO } from './herald-env.js';
import { parseMarkdown } from './markdown.js';
import { lint, runShellBlocks } from './run-docs.js';
import { checkJsSyntax, typeCheck } from './typescript.js';

const work = mkdtempSync(join(tmpdir(), 'doc-harness-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A bare environment (no Herald): enough for blocks that do not call it. */
const bare: DocEnv = {
  heraldUrl: 'http://127.0.0.1:1',
  receiverUrl: 'http://127.0.0.1:2',
  apiKey: 'hk_test',
  workDir: work,
  env: { PATH: process.env.PATH ?? '', HOME: work, LANG: 'C.UTF-8' },
  rewrites: [['http://127.0.0.1:8080', 'http://127.0.0.1:1']],
  received: [],
  close: async () => {},
};

const doc = (text: string) => parseMarkdown(text, 'broken.md');
const fence = '```';

describe('parsing', () => {
  it('reads blocks with the directives above them', () => {
    const blocks = doc(
      `text\n\n<!-- doc-test: skip (needs a TTY) -->\n\n${fence}sh\nherald listen\n${fence}\n\n${fence}ts\nconst a = 1;\n${fence}\n`,
    );
    expect(blocks.map((b) => [b.lang, b.line, b.directives])).toEqual([
      ['sh', 5, [{ kind: 'skip', reason: 'needs a TTY' }]],
      ['ts', 9, []],
    ]);
  });

  it('refuses an unknown directive and a skip without a reason', () => {
    expect(() => doc('<!-- doc-test: maybe -->\n')).toThrow(/unknown doc-test directive "maybe"/);
    expect(() => doc('<!-- doc-test: skip -->\n')).toThrow(/unknown doc-test directive "skip"/);
  });
});

describe('rules', () => {
  it('finds hosts outside loopback and placeholders', () => {
    expect(remoteHosts('curl https://example.com/x http://127.0.0.1:8080 $HERALD_URL/v1')).toEqual(['example.com']);
    expect(placeholders('curl $U/deliveries/dlv_…:retry $U/webhooks/<id>')).toEqual([
      '<id>',
      '$U/deliveries/dlv_…:retry',
    ]);
    expect(placeholders(`curl $U/batches/{id} "\${H[@]}" -d '{"a":1}' | jq -c '{state}'`)).toEqual(['{id}']);
    expect(placeholders('# wait…\ncurl $U # and so on…\nf(); // etc…\ng(/* … */);')).toEqual([]);
    expect(placeholders('const f = <T>(x: T) => x; // generic', false)).toEqual([]);
    expect(lint(doc(`${fence}sh\ncurl -s https://my-api.com/hook\n${fence}\n`))).toEqual([
      'broken.md:1: points at my-api.com, a host outside loopback (use 127.0.0.1: a pasted example must not send traffic off the machine)',
    ]);
  });

  it('output shown after a runnable shell block is compared or says why not', () => {
    const unmarked = doc(`${fence}sh\nherald webhooks list\n${fence}\n\n${fence}\nID  NAME\n${fence}\n`);
    expect(lint(unmarked)).toEqual([
      expect.stringMatching(/^broken\.md:5: output shown after a shell block that runs/),
    ]);
    const sample = doc(
      `${fence}sh\nherald webhooks list\n${fence}\n\n<!-- doc-test: sample (other webhooks too) -->\n${fence}\nID\n${fence}\n`,
    );
    expect(lint(sample)).toEqual([]);
  });

  it('compares output with … as a wildcard', () => {
    expect(compareOutput('id: …\nstate: enabled', 'id: abc123\nstate: enabled\n')).toBeUndefined();
    expect(compareOutput('a\n…\nz', 'a\nb\nc\nz')).toBeUndefined();
    expect(compareOutput('state: enabled', 'state: disabled')).toMatch(
      /line 1:\n {2}expected: state: enabled\n {2}actual: {3}state: disabled/,
    );
  });
});

describe('a deliberately broken example fails the harness', () => {
  it('a failing command', async () => {
    const run = await runShellBlocks(doc(`${fence}sh\necho one\nfalse\necho never\n${fence}\n`), bare);
    expect(run.failures).toHaveLength(1);
    expect(run.failures[0]).toMatch(/^broken\.md:1: exited with status 1:\none\n$/);
  });

  it('output that differs from the expected block', async () => {
    const blocks = doc(
      `${fence}sh\necho "state: disabled"\n${fence}\n\n<!-- doc-test: output -->\n${fence}\nstate: enabled\n${fence}\n`,
    );
    const run = await runShellBlocks(blocks, bare);
    expect(run.compared).toBe(1);
    expect(run.failures.join()).toMatch(/expected: state: enabled\n {2}actual: {3}state: disabled/);
  });

  it('an HTTP error from curl (curl runs with --fail-with-body)', async () => {
    const run = await runShellBlocks(doc(`${fence}sh\ncurl -s http://127.0.0.1:8080/nothing\n${fence}\n`), bare);
    expect(run.failures.join()).toMatch(/exited with status 7/);
  });

  it('a block marked "fails" that succeeds', async () => {
    const run = await runShellBlocks(doc(`<!-- doc-test: fails -->\n${fence}sh\ntrue\n${fence}\n`), bare);
    expect(run.failures.join()).toMatch(/marked "fails" but exited 0/);
  });

  it('a JavaScript snippet that does not parse', () => {
    const errors = checkJsSyntax(doc(`${fence}js\nconst a = 1;\nconst = 2;\n${fence}\n`), REPO, '.doc-test/harness-js');
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^broken\.md:3: SyntaxError/)]);
  });

  it('a TypeScript snippet that does not type-check under the strict settings', () => {
    const headers = `${fence}ts\nimport type { IncomingMessage } from 'node:http';\ndeclare const req: IncomingMessage;\nconst h: Record<string, string> = req.headers;\n${fence}\n`;
    const errors = typeCheck(doc(headers), REPO, '.doc-test/harness');
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^broken\.md:4: TS2322: /)]);
  }, 60_000);
});

describe('blocks of one file share a terminal', () => {
  it('variables, exports and the working directory carry over; skipped blocks do not run', async () => {
    const blocks = doc(
      [
        `${fence}sh\nID=abc\nexport URL=http://127.0.0.1:8080\nmkdir -p sub && cd sub\n${fence}`,
        `<!-- doc-test: skip (would fail) -->\n${fence}sh\nfalse\n${fence}`,
        `${fence}sh\necho "$ID $URL $(basename "$PWD")"\n${fence}`,
        `<!-- doc-test: output -->\n${fence}\nabc http://127.0.0.1:8080 sub\n${fence}`,
      ].join('\n\n'),
    );
    const run = await runShellBlocks(blocks, bare);
    expect(run).toEqual({ executed: 2, skipped: 1, compared: 1, failures: [] });
  });
});
