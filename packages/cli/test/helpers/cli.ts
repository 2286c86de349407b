/**
 * Runs the `herald` CLI as built, the way a user does: `node packages/cli/bin/herald.js …` in a
 * separate process, with a clean environment (no colour, a private config directory, a scratch
 * working directory so no `.herald/api-key` is picked up by accident).
 *
 * The CLI is compiled once per test worker with `tsc -b` (incremental: about a second when nothing
 * changed), together with the packages it loads at run time (`@herald/contracts`,
 * `@herald/webhooks`). `@herald/server` is loaded only by `herald serve` and `herald demo`, which
 * only serve.test.ts and demo.test.ts spawn (they call {@link buildServer}; the others start Herald
 * in-process), so here it is built only when its declarations are missing:
 * recompiling it whenever its sources change took 15-60 s on a busy machine. Test files run in
 * parallel workers, so the build is serialised with a lock directory.
 */

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
export const BIN = join(REPO, 'packages/cli/bin/herald.js');
/** For `beforeAll`: a cold build of the packages takes a while on a loaded machine. */
export const BUILD_TIMEOUT_MS = 180_000;
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
const project = (name: string) => `packages/${name}/tsconfig.build.json`;
const LOCK = join(REPO, 'node_modules/.cache/herald-cli-build.lock');

let built: Promise<void> | undefined;

async function lock(): Promise<() => void> {
  mkdirSync(join(LOCK, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch {
      // A lock older than two minutes belongs to a crashed run.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000)
        rmSync(LOCK, { recursive: true, force: true });
      await sleep(100);
    }
  }
}

/** Builds the workspace packages the CLI needs (`npm run build`), once per worker. */
export function buildCli(): Promise<void> {
  built ??= (async () => {
    const unlock = await lock();
    try {
      const serverTypes = existsSync(join(REPO, 'packages/server/dist/index.d.ts'));
      const build = (withServer: boolean) => {
        const projects = ['contracts', 'webhooks', ...(withServer ? ['server'] : []), 'cli'].map(project);
        const r = spawnSync(process.execPath, [TSC, '-b', ...projects], { cwd: REPO, encoding: 'utf8' });
        return { status: r.status, output: `${r.stdout}${r.stderr}` };
      };
      let r = build(!serverTypes);
      // The server's dist/ may be stale (a new export, a new config field the CLI uses): any
      // failure against it is retried once with the server rebuilt.
      if (r.status !== 0 && serverTypes) r = build(true);
      const output = r.output;
      // Other packages may be mid-edit by someone else; only errors in the CLI itself, or a
      // missing output, stop the CLI tests.
      if (r.status !== 0 && (/packages\/cli\//.test(output) || !existsSync(join(REPO, 'packages/cli/dist/main.js')))) {
        throw new Error(`building the CLI failed:\n${output}`);
      }
    } finally {
      unlock();
    }
  })();
  return built;
}

let serverBuilt: Promise<void> | undefined;

/**
 * Builds `@herald/server` too (incremental `tsc -b`), for the commands that load it in process
 * (`herald demo`): slow when its sources changed, so only the tests that need it call this.
 */
export function buildServer(): Promise<void> {
  serverBuilt ??= (async () => {
    await buildCli();
    const unlock = await lock();
    try {
      const r = spawnSync(process.execPath, [TSC, '-b', project('server')], { cwd: REPO, encoding: 'utf8' });
      if (r.status !== 0 && !existsSync(join(REPO, 'packages/server/dist/index.js'))) {
        throw new Error(`building the server failed:\n${r.stdout}${r.stderr}`);
      }
    } finally {
      unlock();
    }
  })();
  return serverBuilt;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Extra environment variables (`undefined` removes one). */
  env?: Record<string, string | undefined>;
  /** Text or bytes written to stdin (stdin is closed either way). */
  input?: string | Uint8Array;
  cwd?: string;
  timeoutMs?: number;
}

const scratch = mkdtempSync(join(tmpdir(), 'herald-cli-test-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** A private working directory and config home for a test. */
export function tempDir(prefix = 'dir-'): string {
  return mkdtempSync(join(scratch, prefix));
}

const CLEARED = new Set([
  'HERALD_URL',
  'HERALD_API_KEY',
  'HERALD_ADMIN_KEY',
  'HERALD_CONFIG',
  'HERALD_DATA_DIR',
  'FORCE_COLOR',
  'CI',
]);

function environment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base = Object.entries(process.env).filter(([k]) => !CLEARED.has(k));
  const merged = { ...Object.fromEntries(base), NO_COLOR: '1', XDG_CONFIG_HOME: join(scratch, 'config'), ...extra };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
}

/** Starts the CLI; for commands that keep running (`events tail`). */
export function startCli(args: readonly string[], opts: CliOptions = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? scratch, env: environment(opts.env) });
}

/** Runs the CLI to completion. */
export function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  const child = startCli(args, opts);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(opts.input);
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `runCli` with `--url` and `--api-key` of a test server. */
export function cliFor(server: { url: string; apiKey: string }) {
  return (args: readonly string[], opts: CliOptions = {}) =>
    runCli(['--url', server.url, '--api-key', server.apiKey, ...args], opts);
}

/** Parses stdout as JSON, with the whole result in the failure message when it is not. */
export function json<T = Record<string, unknown>>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${String(r.code)}):\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
  }
}

/** Resolves with the accumulated output once `pattern` appears in it. */
export function waitForOutput(stream: NodeJS.ReadableStream, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer | string) => {
      text += d.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve(text);
      }
    };
    const timer = setTimeout(() => {
      stream.off('data', onData);
      reject(new Error(`timed out waiting for ${String(pattern)}; got:\n${text}`));
    }, timeoutMs);
    stream.on('data', onData);
  });
}
