import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHerald, type Herald, type HeraldConfig } from '@herald/server';
import { Agent, request } from 'undici';
import { inFlight } from './in-flight.js';
import { nowMs } from './time.js';

export interface AttemptCounts {
  succeeded: number;
  pending: number;
  failed: number;
  cancelled: number;
  total: number;
}

export interface HostedWebhook {
  id: string;
  uri: string;
  secret: string;
}

/**
 * One Herald embedded in the bench process through the public entry (`createHerald`), on a fresh
 * temporary data dir, with an `onAttempt` observer counting recorded attempts by outcome.
 */
export class HeraldHost {
  readonly herald: Herald;
  readonly url: string;
  readonly dataDir: string;
  readonly counts: AttemptCounts;
  /** Monotonic ms when the latest success was recorded. */
  lastSuccessAt = 0;
  readonly #waiters: { n: number; resolve: () => void }[] = [];
  readonly #client = new Agent({ connections: 64, keepAliveTimeout: 30_000 });

  private constructor(herald: Herald, url: string, dataDir: string, counts: AttemptCounts) {
    this.herald = herald;
    this.url = url;
    this.dataDir = dataDir;
    this.counts = counts;
  }

  static async start(config: Partial<HeraldConfig> = {}): Promise<HeraldHost> {
    const dataDir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
    const counts: AttemptCounts = { succeeded: 0, pending: 0, failed: 0, cancelled: 0, total: 0 };
    const ref: { host?: HeraldHost } = {};
    const herald = await createHerald({
      config: {
        port: 0,
        host: '127.0.0.1',
        dataDir,
        logLevel: 'silent',
        apiKey: undefined,
        masterKey: undefined,
        allowPrivateNetworks: true,
        env: 'development',
        ...config,
      },
      onAttempt: (_d, _result, outcome) => {
        counts[outcome]++;
        counts.total++;
        if (outcome === 'succeeded' && ref.host) {
          ref.host.lastSuccessAt = nowMs();
          ref.host.#notify();
        }
      },
    });
    const url = await herald.listen();
    ref.host = new HeraldHost(herald, url, dataDir, counts);
    return ref.host;
  }

  #notify(): void {
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const w = this.#waiters[i]!;
      if (this.counts.succeeded >= w.n) {
        this.#waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  /** Resolves once `n` successful attempts in all have been recorded. */
  waitForSucceeded(n: number): Promise<void> {
    if (this.counts.succeeded >= n) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ n, resolve }));
  }

  /** A JSON request against Herald's HTTP API with the default project's key. */
  async api<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await request(this.url + path, {
      dispatcher: this.#client,
      method,
      headers: {
        'x-goog-api-key': this.herald.apiKey,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /** Registers a static webhook through the HTTP API (`POST /v1beta/webhooks`). */
  async createWebhook(uri: string, subscribedEvents: string[], name = 'bench'): Promise<HostedWebhook> {
    const w = await this.api<{ id: string; new_signing_secret: string }>('POST', '/v1beta/webhooks', {
      name,
      uri,
      subscribed_events: subscribedEvents,
    });
    return { id: w.id, uri, secret: w.new_signing_secret };
  }

  /**
   * `n` webhooks to a closed loopback port, one event type each (`bench.<tag><i>`), for runs with
   * the engine stopped (never contacted). Returns their event types.
   */
  async idleWebhooks(n: number, tag: string): Promise<string[]> {
    const types: string[] = [];
    for (let i = 0; i < n; i++) {
      await this.createWebhook(`http://127.0.0.1:9/${tag}/${i}`, [`bench.${tag}${i}`], `${tag}-${i}`);
      types.push(`bench.${tag}${i}`);
    }
    return types;
  }

  /** Emits `events` events in process, `concurrency` at a time, round-robin over `types`. */
  async emitSpread(types: readonly string[], events: number, concurrency: number): Promise<void> {
    await inFlight(events, concurrency, async (seq) => {
      await this.herald.events.emit(this.herald.projectId, { type: types[seq % types.length]!, data: { seq } });
    });
  }

  /** Bytes of the SQLite database, WAL and shared-memory files. */
  dbBytes(): number {
    let total = 0;
    for (const f of ['herald.db', 'herald.db-wal', 'herald.db-shm']) {
      try {
        total += statSync(join(this.dataDir, f)).size;
      } catch {
        // not there (yet)
      }
    }
    return total;
  }

  async close(): Promise<void> {
    await this.#client.close();
    await this.herald.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
