import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const config = join(root, '.dependency-cruiser.cjs');
const bin = join(root, 'node_modules/.bin/depcruise');

/** Runs the project's dependency rules on `cwd`; resolves with the exit code and output. */
async function cruise(cwd: string): Promise<{ code: number; out: string }> {
  try {
    const r = await run(bin, ['packages/server/src', '--config', config, '--output-type', 'err'], { cwd });
    return { code: 0, out: r.stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A scratch tree with the server's folder layout and the given files. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'herald-layers-'));
  temps.push(dir);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true } }),
  );
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, 'packages/server/src', path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

describe('the layer rules (.dependency-cruiser.cjs, run by npm run lint)', () => {
  it('pass on the server as it is', async () => {
    const r = await cruise(root);
    expect(r.out).toContain('no dependency violations');
    expect(r.code).toBe(0);
  });

  it('fail an import from a lower layer to a higher one, naming the rule', async () => {
    const r = await cruise(
      tree({
        'kernel/bad.ts': "import { route } from '../http/route.js';\nexport const x = route;\n",
        'http/route.ts': 'export const route = 1;\n',
      }),
    );
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('layer-kernel');
  });

  it('fail an import cycle, even inside one layer', async () => {
    const r = await cruise(
      tree({
        'model/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'model/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      }),
    );
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('no-circular');
  });

  it('fail the dashboard reaching into the store', async () => {
    const r = await cruise(
      tree({
        'dashboard/page.ts': "import { rows } from '../store/rows.js';\nexport const p = rows;\n",
        'store/rows.ts': 'export const rows = 1;\n',
      }),
    );
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('edges-never-touch-the-store');
  });
});
