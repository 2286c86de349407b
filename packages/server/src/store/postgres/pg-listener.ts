import pg from 'pg';
import { clientConfig } from './pg-database.js';

export interface PgListenerOptions {
  connectionString: string;
  channels: readonly string[];
  onNotification: (channel: string, payload: string) => void;
  /**
   * Called after the listener connected again following a lost connection: notifications sent
   * while it was away are gone, so the owner wakes everyone to look for themselves.
   */
  onReconnect: () => void;
  /** Backoff cap between reconnection attempts. */
  maxBackoffMs?: number;
  onError?: (err: unknown) => void;
}

/**
 * A dedicated LISTEN connection that reconnects by itself (exponential backoff from 100 ms,
 * capped at 30 s) when the database restarts or the network drops. Notifications are
 * wake-ups only: whoever receives one reads the database, so one lost while reconnecting
 * delays work until the reconnect (or the owner's poll) but never loses it.
 */
export class PgListener {
  readonly #opts: PgListenerOptions;
  #client: pg.Client | undefined;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #backoffMs = 100;
  #connectedOnce = false;

  constructor(opts: PgListenerOptions) {
    this.#opts = opts;
  }

  get connected(): boolean {
    return this.#client !== undefined;
  }

  /** Connects and LISTENs; rejects when the first connection fails (the store cannot start). */
  async start(): Promise<void> {
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(clientConfig(this.#opts.connectionString));
    let lost = false;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      if (this.#client === client) this.#client = undefined;
      client.removeAllListeners('notification');
      client.end().catch(() => {});
      if (err !== undefined) this.#opts.onError?.(err);
      this.#schedule();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (m) => this.#opts.onNotification(m.channel, m.payload ?? ''));
    try {
      await client.connect();
      for (const ch of this.#opts.channels) await client.query(`LISTEN ${pg.escapeIdentifier(ch)}`);
    } catch (err) {
      lost = true;
      client.removeAllListeners();
      client.on('error', () => {});
      client.end().catch(() => {});
      if (!this.#connectedOnce) throw err;
      this.#opts.onError?.(err);
      this.#schedule();
      return;
    }
    if (this.#closed) {
      lost = true;
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.#backoffMs = 100;
    if (this.#connectedOnce) this.#opts.onReconnect();
    this.#connectedOnce = true;
  }

  #schedule(): void {
    if (this.#closed || this.#timer) return;
    const delay = this.#backoffMs;
    this.#backoffMs = Math.min(this.#backoffMs * 2, this.#opts.maxBackoffMs ?? 30_000);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#connect();
    }, delay);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    if (client) {
      client.removeAllListeners('end');
      client.removeAllListeners('notification');
      await client.end().catch(() => {});
    }
  }
}
