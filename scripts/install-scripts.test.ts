import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

/**
 * `npm ci` warns about every dependency with an install script that package.json's
 * `allowScripts` does not decide on: each one is allowed (it builds or fetches a native binary
 * Herald uses) or denied (a no-op or a check nothing here needs).
 */
it('every dependency with an install script is allowed or denied in allowScripts', () => {
  const root = new URL('../', import.meta.url);
  const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
    packages: Record<string, { hasInstallScript?: boolean }>;
  };
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
    allowScripts?: Record<string, boolean>;
  };
  const withScripts = Object.entries(lock.packages)
    .filter(([, p]) => p.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  const undecided = [...new Set(withScripts)].filter((name) => typeof pkg.allowScripts?.[name] !== 'boolean');
  expect(undecided).toEqual([]);
  // The native modules Herald runs on must keep their build.
  expect(pkg.allowScripts).toMatchObject({ 'better-sqlite3': true });
});
