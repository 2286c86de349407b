/**
 * Scale-out on one machine: one `api` and two `worker` Herald processes on one PostgreSQL
 * database. Run with
 *   npx tsx --conditions=@herald/source cookbook/10-scale-out/start.ts [--workers 3] [--port 8080]
 *
 * Each process is `herald serve` from source — the command `npm start` runs — with its own
 * HERALD_ROLE and data directory, and the same HERALD_DATABASE_URL, HERALD_MASTER_KEY and
 * HERALD_API_KEY. Ctrl-C (or SIGTERM) drains them all: they finish their in-flight deliveries
 * and exit, then so does this script.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, parseEnv } from 'node:util';

/** The repository root: `npm start` runs from here. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `npm start`, spelled out: `herald serve` from source. */
const SERVE = ['--conditions=@herald/source', '--import', 'tsx', 'packages/cli/src/main.ts', 'serve'];

/** Where the script looks for PostgreSQL when HERALD_DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/herald';

/** How a process ended: its exit code, or the signal that killed it. */
export type ExitStatus = number | NodeJS.Signals;

export interface HeraldProcess {
  /** `api`, `worker-1`, `worker-2`, … */
  name: string;
  role: 'api' | 'worker';
  pid: number;
  /** Where it listens: the API on the `api` process; `/healthz`, `/readyz` and `/metrics` on every one. */
  url: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once the process has exited. */
  exited: Promise<ExitStatus>;
}

export interface ScaleOutOptions {
  /** Default: HERALD_DATABASE_URL, else {@link DEFAULT_DATABASE_URL}. */
  databaseUrl?: string;
  /** Number of `worker` processes. Default 2. */
  workers?: number;
  /** Port of the `api` process; 0 (default) picks a free one. Workers take free ports. */
  apiPort?: number;
  /** Shared by every process. Default: generated (32 random bytes, base64). */
  masterKey?: string;
  /** The default project's key, shared by every process. Default: generated. */
  apiKey?: string;
  /** HERALD_LOG_LEVEL of the processes. Default `warn`. */
  logLevel?: string;
  /** More environment for every process (e.g. HERALD_MAX_IN_FLIGHT_PER_DESTINATION). */
  env?: Record<string, string>;
  /** Called with each line a process prints once it is ready (its log lines). */
  onLine?: (name: string, line: string) => void;
  /** How long each process may take to be ready. Default 60 s. */
  readyTimeoutMs?: number;
}

export interface ScaleOut {
  databaseUrl: string;
  /** The API base, e.g. `http://127.0.0.1:8080` (add `/v1beta`). */
  apiUrl: string;
  apiKey: string;
  masterKey: string;
  api: HeraldProcess;
  workers: HeraldProcess[];
  /** The api process first, then the workers. */
  processes: HeraldProcess[];
  /**
   * Graceful stop: SIGTERM to every process still running (each drains its in-flight deliveries,
   * then exits), SIGKILL to any still there after `timeoutMs` (default 30 s). Resolves to the exit
   * status of each process, in {@link ScaleOut.processes} order. Safe to call more than once.
   */
  stop(timeoutMs?: number): Promise<ExitStatus[]>;
  /** SIGKILL to every process still running (no drain). */
  kill(): void;
}

/** A free TCP port on 127.0.0.1 (asked of the OS, then released for the process to take). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

/** Starts one `herald serve` and resolves once it printed its URL and `/readyz` answers 200. */
async function startProcess(
  name: string,
  role: 'api' | 'worker',
  env: Record<string, string>,
  onLine: ((name: string, line: string) => void) | undefined,
  readyTimeoutMs: number,
  spawned: ChildProcess[],
): Promise<HeraldProcess> {
  // Its own process group: Ctrl-C in a terminal reaches this script only, which then stops every
  // process exactly once (a second signal would make `herald serve` skip the drain).
  const child = spawn(process.execPath, SERVE, {
    cwd: ROOT,
    env: { ...process.env, ...env, HERALD_ROLE: role, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  spawned.push(child);
  let out = '';
  let ready = false;
  let partial = '';
  const exited = new Promise<ExitStatus>((resolve) => {
    child.on('exit', (code, signal) => resolve(signal ?? code ?? 0));
  });
  const lines = (b: Buffer) => {
    const text = b.toString();
    out += text;
    if (!ready || !onLine) return;
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) if (line.trim() !== '') onLine(name, line);
  };
  child.stdout.on('data', lines);
  child.stderr.on('data', lines);
  try {
    // Every role prints this banner line once it listens: `Health     http://127.0.0.1:41234/healthz`.
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name}: no banner after ${readyTimeoutMs} ms`)),
        readyTimeoutMs,
      );
      const onData = () => {
        const m = /Health\s+(http:\/\/[^\s/]+)\/healthz/.exec(out);
        if (!m) return;
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(m[1]!);
      };
      child.stdout.on('data', onData);
      void exited.then((status) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${String(status)}) before listening`));
      });
    });
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      const ok = await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (!running(child)) throw new Error(`${name} exited before it was ready`);
      if (Date.now() > deadline) throw new Error(`${name}: /readyz not 200 after ${readyTimeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
    ready = true;
    return { name, role, pid: child.pid!, url, child, output: () => out, exited };
  } catch (err) {
    if (running(child)) child.kill('SIGKILL');
    await exited;
    throw new Error(`${(err as Error).message}\n--- ${name} output ---\n${out.slice(-4000)}`, { cause: err });
  }
}

/**
 * Starts one `api` and `workers` `worker` processes on one PostgreSQL database, together (the first
 * one migrates, the others wait), and resolves once every one is ready.
 */
export async function startScaleOut(options: ScaleOutOptions = {}): Promise<ScaleOut> {
  const databaseUrl = options.databaseUrl ?? (process.env.HERALD_DATABASE_URL || DEFAULT_DATABASE_URL);
  const masterKey = options.masterKey ?? randomBytes(32).toString('base64');
  const apiKey = options.apiKey ?? `hk_${randomBytes(16).toString('hex')}`;
  const apiPort = options.apiPort || (await freePort());
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const root = mkdtempSync(join(tmpdir(), 'herald-scale-out-'));
  const env = (name: string, port: number): Record<string, string> => {
    const dataDir = join(root, name);
    mkdirSync(dataDir);
    return {
      HERALD_DATABASE_URL: databaseUrl,
      HERALD_MASTER_KEY: masterKey,
      HERALD_API_KEY: apiKey,
      HERALD_DATA_DIR: dataDir,
      HERALD_PORT: String(port),
      // File URLs and JWT issuers name the API, whichever process writes them.
      HERALD_PUBLIC_URL: apiUrl,
      HERALD_LOG_LEVEL: options.logLevel ?? 'warn',
      ...options.env,
    };
  };
  // Detached processes outlive this one unless stopped: whatever ends this process (an error, or
  // process.exit() during the start) kills them.
  const spawned: ChildProcess[] = [];
  const killAll = () => {
    for (const child of spawned) if (running(child)) child.kill('SIGKILL');
  };
  const onExit = () => {
    killAll();
    rmSync(root, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  const names = ['api', ...Array.from({ length: options.workers ?? 2 }, (_, i) => `worker-${i + 1}`)];
  const started = await Promise.allSettled(
    names.map((name, i) =>
      startProcess(
        name,
        i === 0 ? 'api' : 'worker',
        env(name, i === 0 ? apiPort : 0),
        options.onLine,
        readyTimeoutMs,
        spawned,
      ),
    ),
  );
  const processes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    killAll();
    await Promise.all(processes.map((p) => p.exited));
    process.off('exit', onExit);
    rmSync(root, { recursive: true, force: true });
    throw failed.reason;
  }

  let stopping: Promise<ExitStatus[]> | undefined;
  return {
    databaseUrl,
    apiUrl,
    apiKey,
    masterKey,
    api: processes[0]!,
    workers: processes.slice(1),
    processes,
    stop(timeoutMs = 30_000) {
      stopping ??= (async () => {
        for (const p of processes) if (running(p.child)) p.child.kill('SIGTERM');
        const timer = setTimeout(killAll, timeoutMs);
        const statuses = await Promise.all(processes.map((p) => p.exited));
        clearTimeout(timer);
        process.off('exit', onExit);
        rmSync(root, { recursive: true, force: true });
        return statuses;
      })();
      return stopping;
    },
    kill: killAll,
  };
}

/**
 * The shared keys: HERALD_MASTER_KEY and HERALD_API_KEY from the environment, else from `file`
 * (written on first use). The same keys must be used every time on the same database: secrets
 * and signing keys stored there are sealed with the master key.
 */
export function sharedKeys(file: string): { masterKey: string; apiKey: string; from: string } {
  const env = process.env;
  if (env.HERALD_MASTER_KEY && env.HERALD_API_KEY)
    return { masterKey: env.HERALD_MASTER_KEY, apiKey: env.HERALD_API_KEY, from: 'the environment' };
  const saved = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  const masterKey = env.HERALD_MASTER_KEY || saved.HERALD_MASTER_KEY;
  const apiKey = env.HERALD_API_KEY || saved.HERALD_API_KEY;
  if (masterKey && apiKey) return { masterKey, apiKey, from: file };
  const keys = {
    masterKey: masterKey || randomBytes(32).toString('base64'),
    apiKey: apiKey || `hk_${randomBytes(16).toString('hex')}`,
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `HERALD_MASTER_KEY=${keys.masterKey}\nHERALD_API_KEY=${keys.apiKey}\n`, { mode: 0o600 });
  return { ...keys, from: `${file} (new)` };
}

/** Where the script keeps the shared keys between runs (in `.herald/`, which git ignores). */
export const KEYS_FILE = join(ROOT, '.herald', 'scale-out', 'keys.env');

/** Hides the password of a database URL for printing. */
export const redact = (url: string) => url.replace(/(\/\/[^:/@]+):[^@/]*@/, '$1:***@');

/** A log line of a process, shortened: `[worker-1] warn  message` (JSON logs), else as is. */
function printLine(name: string, line: string): void {
  let text = line;
  try {
    const { level, msg } = JSON.parse(line) as { level?: number; msg?: string };
    const label = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }[level ?? 0];
    if (label && msg !== undefined) text = `${label.padEnd(5)} ${msg}`;
  } catch {
    // not JSON: print it as it is
  }
  console.log(`[${name}] ${text}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { workers: { type: 'string', default: '2' }, port: { type: 'string' } },
  });
  const workers = Number(values.workers);
  const apiPort = Number(values.port ?? (process.env.HERALD_PORT || 8080));
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers must be 1 or more, got ${values.workers}`);
  const keys = sharedKeys(KEYS_FILE);
  // A signal while they start: exit, and the 'exit' hook kills whatever was started.
  const early = () => process.exit(130);
  process.once('SIGINT', early);
  process.once('SIGTERM', early);
  const topo = await startScaleOut({
    workers,
    apiPort,
    masterKey: keys.masterKey,
    apiKey: keys.apiKey,
    logLevel: process.env.HERALD_LOG_LEVEL || 'info',
    onLine: printLine,
  });
  const width = Math.max(...topo.processes.map((p) => p.name.length)) + 2;
  console.log(
    [
      '',
      `Herald on ${redact(topo.databaseUrl)}: 1 api, ${topo.workers.length} worker${topo.workers.length > 1 ? 's' : ''}`,
      ...topo.processes.map(
        (p) =>
          `  ${p.name.padEnd(width)}pid ${String(p.pid).padEnd(8)}${p.role === 'api' ? `${p.url}/v1beta` : `${p.url}/metrics`}`,
      ),
      `  API key ${keys.apiKey}   (keys from ${keys.from})`,
      '',
      'Try it from another terminal:',
      `  export HERALD_URL=${topo.apiUrl} HERALD_API_KEY=${keys.apiKey}`,
      `  curl -s $HERALD_URL/v1beta/events -H "x-goog-api-key: $HERALD_API_KEY" -H 'content-type: application/json' \\`,
      `    -d '{"type":"invoice.ready","data":{"id":"inv_1"}}'`,
      `  curl -s ${topo.workers[0]!.url}/metrics | grep '^herald_delivery_attempts_total'`,
      '',
      'Ctrl-C drains and stops every process.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  for (const p of topo.processes) {
    void p.exited.then((status) => {
      if (!stopping) console.log(`[${p.name}] exited (${String(status)}); the others carry on`);
    });
  }
  const done = new Promise<ExitStatus[]>((resolve) => {
    // Every process gone by itself (killed, or the database went away): nothing left to stop.
    void Promise.all(topo.processes.map((p) => p.exited)).then(() => {
      if (!stopping) resolve(topo.stop());
    });
    // One signal is enough (npx and tsx may pass a Ctrl-C on twice): the processes get one SIGTERM
    // each, and whatever has not exited 30 s later is killed.
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: draining in-flight deliveries and stopping every process (at most 30 s)`);
      resolve(topo.stop(30_000));
    };
    process.off('SIGINT', early);
    process.off('SIGTERM', early);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  const statuses = await done;
  console.log(topo.processes.map((p, i) => `${p.name} exited ${String(statuses[i])}`).join(', '));
  process.exitCode = statuses.every((s) => s === 0) ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
