import pg from 'pg';
import { clientConfig } from './pg-database.js';

export interface PgListenerOptions {
  connectionString: string;
  /** The channels to LISTEN to from the start; `setChannels` changes them. */
  channels: readonly string[];
  onNotification: (channel: string, payload: string) => void;
  /**
   * Called once a LISTEN on `channel` has taken effect, on a connection that already existed (a
   * channel asked for later): notifications sent before it were missed, as after a reconnect.
   */
  onListen?: (channel: string) => void;
  /**
   * Called after the listener connected again following a lost connection: notifications sent
   * while it was away are gone, so the owner wakes everyone to look for themselves.
   */
  onReconnect: () => void;
  /**
   * The session's `application_name` while it listens to these channels (other processes see it
   * in `pg_stat_activity`: wake-share.ts counts the engines by it). Set before the first LISTEN of
   * a connection and after each change of channels.
   */
  sessionName?: (channels: ReadonlySet<string>) => string;
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
  #desired: Set<string>;
  /** What the current connection LISTENs to. */
  #active = new Set<string>();
  #sync: Promise<void> = Promise.resolve();
  /** The `application_name` the current connection has. */
  #name: string | undefined;
  #pid: number | undefined;

  constructor(opts: PgListenerOptions) {
    this.#opts = opts;
    this.#desired = new Set(opts.channels);
  }

  /**
   * LISTENs to exactly these channels from now on (a process listens only to what it has
   * listeners for: PostgreSQL signals every listening connection on every notifying commit).
   * Resolves once the connection listens to them (at once while disconnected: the next
   * connection listens to what is asked for then).
   */
  setChannels(channels: Iterable<string>): Promise<void> {
    const desired = new Set(channels);
    // Listeners come and go per request (a long poll): an unchanged set queues no work.
    if (desired.size === this.#desired.size && [...desired].every((c) => this.#desired.has(c))) return this.#sync;
    this.#desired = desired;
    this.#sync = this.#sync.then(() => this.#apply()).catch((err: unknown) => this.#opts.onError?.(err));
    return this.#sync;
  }

  async #apply(): Promise<void> {
    const client = this.#client;
    if (!client) return; // the next connection LISTENs to what is desired then
    await this.#rename(client);
    for (const ch of [...this.#active]) {
      if (this.#desired.has(ch)) continue;
      this.#active.delete(ch);
      await client.query(`UNLISTEN ${pg.escapeIdentifier(ch)}`);
    }
    for (const ch of [...this.#desired]) {
      if (this.#active.has(ch)) continue;
      await client.query(`LISTEN ${pg.escapeIdentifier(ch)}`);
      this.#active.add(ch);
      if (this.#client === client) this.#opts.onListen?.(ch);
    }
  }

  async #rename(client: pg.Client): Promise<void> {
    const name = this.#opts.sessionName?.(this.#desired);
    if (name === undefined || name === this.#name) return;
    await client.query(`SET application_name = ${pg.escapeLiteral(name)}`);
    this.#name = name;
  }

  /** The backend pid of the current connection (undefined while disconnected). */
  get pid(): number | undefined {
    return this.#client ? this.#pid : undefined;
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
      this.#name = undefined;
      this.#pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      await this.#rename(client);
      const channels = [...this.#desired];
      for (const ch of channels) await client.query(`LISTEN ${pg.escapeIdentifier(ch)}`);
      this.#active = new Set(channels);
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
    // Channels asked for or dropped while connecting.
    this.#sync = this.#sync.then(() => this.#apply()).catch((err: unknown) => this.#opts.onError?.(err));
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
