import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = ['contracts', 'webhooks', 'server', 'cli'];
const DIST_ENTRY = 'packages/cli/dist/main.js';

/** How the bench starts `herald serve`, and from what. */
export interface HeraldCommand {
  from: 'dist' | 'source';
  args: string[];
}

/** What the build compiles: a README or a test edited after `npm run build` leaves the build fresh. */
const compiled = (name: string) => name.endsWith('.ts') && !name.endsWith('.test.ts');

function newestMtime(dir: string, counts: (name: string) => boolean = () => true): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path, counts));
    else if (counts(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Each package's build is newer than its sources (`tsc -b` leaves an up-to-date package alone). */
function distFresh(): boolean {
  try {
    statSync(join(ROOT, DIST_ENTRY));
    return PACKAGES.every(
      (p) => newestMtime(join(ROOT, 'packages', p, 'src'), compiled) < newestMtime(join(ROOT, 'packages', p, 'dist')),
    );
  } catch {
    return false; // not built
  }
}

/**
 * `herald serve` as production runs it, from the built `dist/` (`npm run build`), when that build
 * is newer than every compiled source file of the packages; otherwise from source through tsx (as
 * `npm start` does), so a stale build is never measured. `HERALD_BENCH_FROM=source` forces source.
 */
export function heraldCommand(): HeraldCommand {
  const fresh = process.env.HERALD_BENCH_FROM !== 'source' && distFresh();
  return fresh
    ? { from: 'dist', args: [join(ROOT, DIST_ENTRY), 'serve'] }
    : {
        from: 'source',
        args: ['--conditions=@herald/source', '--import', 'tsx', join(ROOT, 'packages/cli/src/main.ts'), 'serve'],
      };
}
