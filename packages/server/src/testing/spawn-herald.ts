import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url));

export interface SpawnedHerald {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | NodeJS.Signals | null>;
}

/**
 * Starts `herald serve` as a separate process (from source, as `npm start` does) on a free port
 * and resolves once it prints its URL. For crash tests: kill it with SIGKILL, start it again.
 * `args` go after `serve` (its flags); `onOutput` sees stdout and stderr as they come, before it
 * listens too (a start that retries).
 */
export async function spawnHerald(
  env: Record<string, string>,
  args: readonly string[] = [],
  opts: { onOutput?: (text: string) => void } = {},
): Promise<SpawnedHerald> {
  const child = spawn(process.execPath, ['--conditions=@herald/source', '--import', 'tsx', CLI, 'serve', ...args], {
    env: { ...process.env, HERALD_PORT: '0', HERALD_LOG_LEVEL: 'warn', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // Never outlive the test process (a test that times out before its cleanup is registered).
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.on('exit', (code, signal) => {
      process.off('exit', orphanGuard);
      resolve(signal ?? code);
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      opts.onOutput?.(out);
      // Every role prints it (a worker has no API line): `Health     http://127.0.0.1:41234/healthz`.
      const m = /Health\s+(http:\/\/[^\s/]+)\/healthz/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (b: Buffer) => {
      out += b.toString();
      opts.onOutput?.(out);
    });
    void exited.then((code) => reject(new Error(`herald exited (${String(code)}) before listening:\n${out}`)));
  });
  return { url, child, output: () => out, exited };
}
