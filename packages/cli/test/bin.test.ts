import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, REPO } from './helpers/cli.js';

/**
 * `npx herald` in a fresh checkout, before `npm run build`: the executable without a dist/ beside
 * it. A copy of bin/herald.js in a directory of the repository (so node_modules resolves) with
 * the real src/ linked in, or without it.
 */
const dir = mkdtempSync(join(REPO, 'packages/cli/.bin-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function copy(name: string, withSource: boolean): string {
  mkdirSync(join(dir, name, 'bin'), { recursive: true });
  copyFileSync(BIN, join(dir, name, 'bin/herald.js'));
  if (withSource) symlinkSync(join(REPO, 'packages/cli/src'), join(dir, name, 'src'));
  return join(dir, name, 'bin/herald.js');
}

const run = (bin: string, args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('bin/herald.js without dist/', () => {
  it('runs the CLI from its TypeScript sources', () => {
    const bin = copy('source', true);
    const version = run(bin, ['--version']);
    expect(version.stderr).toBe('');
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const offline = run(bin, ['--url', 'http://127.0.0.1:1', '--api-key', 'hk_x', 'webhooks', 'list']);
    expect(offline.status).toBe(1);
    expect(offline.stderr).toMatch(/^herald: cannot reach Herald at http:\/\/127\.0\.0\.1:1/);
  }, 60_000);

  it('with no sources either, says in one line what to do (no stack trace)', () => {
    const r = run(copy('bare', false), ['--version']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'herald: this copy of the CLI is not built: run `npm run build` in the repository (or install the published herald package)\n',
    );
  });
});
