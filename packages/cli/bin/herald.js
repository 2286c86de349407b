#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm run build`). In a checkout where it is not built yet, runs
// the TypeScript sources with tsx (a dev dependency, there after `npm ci`); with neither, says what
// to do in one line.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/main.js', import.meta.url);
const src = new URL('../src/main.ts', import.meta.url);

function tsxLoader() {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return undefined;
  }
}

if (existsSync(dist)) {
  await import(dist.href);
} else {
  const tsx = existsSync(src) ? tsxLoader() : undefined;
  if (tsx === undefined) {
    process.stderr.write(
      'herald: this copy of the CLI is not built: run `npm run build` in the repository (or install the published herald package)\n',
    );
    process.exit(1);
  }
  const child = spawn(
    process.execPath,
    ['--conditions=@herald/source', '--import', tsx, fileURLToPath(src), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  // Ctrl-C reaches the whole process group (the child too); other signals are passed on.
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}
