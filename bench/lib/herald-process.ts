import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { heraldCommand, type HeraldCommand } from './herald-command.js';
import { sleep } from './time.js';

// Whatever is still running when the bench process exits (an error path that skipped `stop()`).
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** A free TCP port on 127.0.0.1 (the OS picks it; closed again before Herald binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Reads `VmHWM` (peak RSS) and CPU time of a live process from /proc (Linux); undefined elsewhere. */
function procStats(pid: number): { peakRss: number; cpuMs: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    // Fields after the command name (which may hold spaces, hence the last ')'): utime is 14th, stime 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { peakRss: Number(hwm?.[1] ?? 0) * 1024, cpuMs: (ticks * 1000) / 100 };
  } catch {
    return undefined;
  }
}

/**
 * One `herald serve` process, from the built `dist/` when it is fresh, else from source (see
 * heraldCommand), on a port chosen here. Ready once
 * `/readyz` answers 200: the banner text is not part of the contract.
 */
export class HeraldProcess {
  readonly url: string;
  readonly role: string;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #output = '';

  private constructor(child: ChildProcess, url: string, role: string) {
    this.#child = child;
    this.url = url;
    this.role = role;
    live.add(child);
    this.#exited = new Promise((resolve) =>
      child.once('exit', () => {
        live.delete(child);
        resolve();
      }),
    );
    const keep = (b: Buffer) => {
      this.#output = (this.#output + b.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (err) => keep(Buffer.from(`spawn failed: ${err.message}\n`)));
  }

  /** Spawns the process and waits (at most `readyMs`) for `/readyz`; kills it if it never gets there. */
  static async start(
    env: Record<string, string>,
    readyMs: number,
    command: HeraldCommand = heraldCommand(),
  ): Promise<HeraldProcess> {
    const port = await freePort();
    // Only what is set here configures Herald: a HERALD_DATABASE_URL in the caller's shell must not
    // turn the SQLite topology into a PostgreSQL one.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HERALD_')));
    // Profiling a topology (bench/profile/scaleout.ts): BENCH_HERALD_NODE_ARGS='--cpu-prof …'.
    const nodeArgs = process.env.BENCH_HERALD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, ...command.args], {
      env: {
        ...inherited,
        HERALD_HOST: '127.0.0.1',
        HERALD_PORT: String(port),
        HERALD_LOG_LEVEL: 'warn',
        HERALD_ENV: 'development',
        HERALD_ALLOW_PRIVATE_NETWORKS: 'true',
        NO_COLOR: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const p = new HeraldProcess(child, `http://127.0.0.1:${port}`, env.HERALD_ROLE ?? 'all');
    try {
      await p.#waitReady(readyMs);
      return p;
    } catch (err) {
      await p.stop();
      throw err;
    }
  }

  get alive(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  async #waitReady(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!this.alive) throw new Error(`herald serve (${this.role}) exited before it was ready:\n${this.#output}`);
      try {
        const res = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`herald serve (${this.role}) not ready within ${Math.round(ms / 1000)} s:\n${this.#output}`);
  }

  /** Peak RSS (bytes) and CPU time (ms) so far; undefined when /proc is not there or the process is gone. */
  stats(): { peakRss: number; cpuMs: number } | undefined {
    return this.#child.pid !== undefined && this.alive ? procStats(this.#child.pid) : undefined;
  }

  /** The last 4 KB of its stdout and stderr (for error messages). */
  get output(): string {
    return this.#output;
  }

  /** Sends `signal` (SIGKILL: no drain, no clean-up) and resolves once the process has exited. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.alive) return;
    this.#child.kill(signal);
    await this.#exited;
  }

  /** SIGTERM (Herald drains in-flight attempts), SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.alive) return;
    this.#child.kill('SIGTERM');
    const t = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(t);
  }
}
