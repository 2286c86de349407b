import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeraldProcess } from '../../lib/herald-process.js';

/** Settings that make recovery observable in seconds instead of minutes (retries, leases). */
export const CHAOS_ENV: Record<string, string> = {
  // Retry delays ÷ 60: 5 s → 83 ms, 5 min → 5 s, 30 min → 30 s.
  HERALD_TIME_SCALE: '60',
  HERALD_ATTEMPT_TIMEOUT_MS: '3000',
  // A killed process's in-flight deliveries are re-attempted 3 s + 1 s after they were claimed.
  HERALD_LEASE_GRACE_MS: '1000',
  HERALD_LOG_LEVEL: 'error',
};

interface Slot {
  role: string;
  env: Record<string, string>;
  proc: HeraldProcess | undefined;
}

/**
 * The `herald serve` processes of one scenario, each in a slot that keeps its environment (data
 * dir, database URL, keys), so a killed process can be started again exactly as it was.
 */
export class Fleet {
  readonly apiKey = `hk_${randomBytes(16).toString('hex')}`;
  readonly masterKey = randomBytes(32).toString('base64');
  readonly slots: Slot[] = [];
  readonly #dirs: string[] = [];
  readonly #readyMs: number;

  constructor(readyMs = 60_000) {
    this.#readyMs = readyMs;
  }

  /** Adds a slot (not started). `dataDir` defaults to a fresh temp dir, removed by `close()`. */
  add(role: string, extra: Record<string, string> = {}, dataDir?: string): number {
    let dir = dataDir;
    if (dir === undefined) {
      dir = mkdtempSync(join(tmpdir(), `herald-chaos-${role}-`));
      this.#dirs.push(dir);
    }
    const env = {
      ...CHAOS_ENV,
      HERALD_ROLE: role,
      HERALD_DATA_DIR: dir,
      HERALD_API_KEY: this.apiKey,
      HERALD_MASTER_KEY: this.masterKey,
      ...extra,
    };
    return this.slots.push({ role, env, proc: undefined }) - 1;
  }

  async start(index: number): Promise<void> {
    const slot = this.slots[index]!;
    slot.proc = await HeraldProcess.start(slot.env, this.#readyMs);
  }

  async startAll(): Promise<void> {
    await Promise.all(this.slots.map((_, i) => this.start(i)));
  }

  /** Kills slot `index` with `signal` (SIGTERM waits for its drain, at most 20 s) and waits for the exit. */
  async kill(index: number, signal: NodeJS.Signals): Promise<void> {
    const p = this.slots[index]!.proc;
    if (!p) return;
    if (signal === 'SIGTERM') await p.stop(20_000);
    else await p.kill(signal);
  }

  /** URLs of the live processes that serve the API (`all` or `api`). */
  apiUrls(): string[] {
    return this.slots.filter((s) => (s.role === 'all' || s.role === 'api') && s.proc?.alive).map((s) => s.proc!.url);
  }

  /** The first API process (for set-up calls). */
  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const base = this.apiUrls()[0];
    if (!base) throw new Error('no API process is running');
    const res = await fetch(base + path, {
      method,
      headers: { 'x-goog-api-key': this.apiKey, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  async createWebhook(uri: string, type: string): Promise<void> {
    await this.call('POST', '/v1beta/webhooks', { uri, subscribed_events: [type] });
  }

  /** The recent output of every process that is no longer running (for error notes). */
  output(): string {
    return this.slots.map((s) => (s.proc ? `[${s.role}] ${s.proc.output.slice(-800)}` : '')).join('\n');
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.proc?.stop(5000) ?? Promise.resolve()));
    for (const d of this.#dirs) rmSync(d, { recursive: true, force: true });
  }
}
