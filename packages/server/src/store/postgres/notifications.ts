import type { EventNotice } from '../../model/event-notice.js';
import type { OperationChange } from '../../model/operation-records.js';
import { CHANNELS, parseEventNotice, parseOperationChange } from './channels.js';
import { PgListener } from './pg-listener.js';
import { WatermarkGate } from './watermark-gate.js';
import { ENGINE_SESSION_NAME, WakeShare } from './wake-share.js';
import { singleFlight } from '../../kernel/single-flight.js';

export interface PgNotificationsOptions {
  connectionString: string;
  /** Safety-net poll of the `subscribe` listeners (a lost notification delays work this much). */
  pollMs: number;
  /** Reads every project's latest event sequence, to re-announce after a reconnect. */
  latestSequences: () => Promise<EventNotice[]>;
  /** Reads the event log's watermark: an event notice waits until its event is below it. */
  watermark: (above: number) => Promise<number>;
  /** Reads the LISTEN backend pids of the live engines of this database (wake-share.ts). */
  engines: () => Promise<number[]>;
  /** Tells every engine to read the engines again (`NOTIFY herald_engines`). */
  announceEngines: () => Promise<void>;
  /** How often an engine reads the engines again, to notice one that died. Default 1 s. */
  enginesRefreshMs?: number;
  onListenerError?: (err: unknown) => void;
}

/**
 * The PostgreSQL store's in-process side of `NOTIFY`: one reconnecting LISTEN connection whose
 * notifications become `subscribe` (something may be due), `subscribeEvents` and
 * `subscribeOperations` calls in this process, a slow poll as a safety net, and a catch-up after a
 * reconnect (notifications sent meanwhile are lost, so everyone is woken and told the latest
 * event of every project).
 */
export class PgNotifications {
  readonly #listener: PgListener;
  readonly #wakeListeners = new Set<() => void>();
  readonly #eventListeners = new Set<(notice: EventNotice) => void>();
  readonly #opListeners = new Set<(change: OperationChange) => void>();
  readonly #latestSequences: () => Promise<EventNotice[]>;
  readonly #poll: NodeJS.Timeout;
  readonly #gate: WatermarkGate;
  readonly #share = new WakeShare();
  readonly #engines: () => Promise<number[]>;
  readonly #announceEngines: () => Promise<void>;
  readonly #refreshTimer: NodeJS.Timeout;

  constructor(opts: PgNotificationsOptions) {
    this.#latestSequences = opts.latestSequences;
    this.#engines = opts.engines;
    this.#announceEngines = opts.announceEngines;
    this.#gate = new WatermarkGate({ watermark: opts.watermark, release: (n) => this.#announce(n) });
    this.#listener = new PgListener({
      connectionString: opts.connectionString,
      channels: [CHANNELS.operations, CHANNELS.events],
      onNotification: (channel, payload) => this.#dispatch(channel, payload),
      // A wake-up sent before the LISTEN took effect was missed: look, as after a reconnect.
      onListen: (channel) => {
        if (channel === CHANNELS.wake) this.wake();
      },
      onReconnect: () => void this.#catchUp(),
      sessionName: (channels) => (channels.has(CHANNELS.wake) ? ENGINE_SESSION_NAME : 'herald-listener'),
      ...(opts.onListenerError ? { onError: opts.onListenerError } : {}),
    });
    this.#poll = setInterval(() => this.wake(), opts.pollMs);
    this.#poll.unref();
    this.#refreshTimer = setInterval(() => {
      if (this.#wakeListeners.size > 0) void this.#refreshEngines();
    }, opts.enginesRefreshMs ?? 1000);
    this.#refreshTimer.unref();
  }

  start(): Promise<void> {
    return this.#listener.start();
  }

  async close(): Promise<void> {
    clearInterval(this.#poll);
    clearInterval(this.#refreshTimer);
    await this.#listener.close();
  }

  #dispatch(channel: string, payload: string): void {
    if (channel === CHANNELS.wake) {
      if (this.#share.mine(payload)) this.wake();
    } else if (channel === CHANNELS.engines) void this.#refreshEngines();
    else if (channel === CHANNELS.events) {
      const n = parseEventNotice(payload);
      // Held until readable (ADR 0012); a process with no event listener skips the watermark reads.
      if (n && this.#eventListeners.size > 0) this.#gate.offer(n);
    } else if (channel === CHANNELS.operations) {
      const c = parseOperationChange(payload);
      if (c) for (const l of this.#opListeners) safely(() => l(c));
    }
  }

  /** The live engines as this process last read them (LISTEN backend pids, ascending). */
  get engines(): readonly number[] {
    return this.#share.members;
  }

  /** Calls the `subscribe` listeners of this process. */
  wake(): void {
    for (const l of this.#wakeListeners) safely(l);
  }

  #announce(n: EventNotice): void {
    for (const l of this.#eventListeners) safely(() => l(n));
  }

  /**
   * Reads the live engines (a read asked for while one runs makes one more after it). When that
   * changes which notices are whose, this engine claims at once: a notice sent while the engines
   * disagreed may have been answered by nobody.
   */
  readonly #refreshEngines = singleFlight(
    async () => {
      try {
        if (this.#share.update(await this.#engines())) this.wake();
      } catch {
        // The next tick reads again; meanwhile the last view stands.
      }
    },
    () => true,
  );

  async #catchUp(): Promise<void> {
    this.#settleEngine(); // a new connection, a new backend pid
    this.wake();
    if (this.#eventListeners.size === 0) return;
    try {
      for (const n of await this.#latestSequences()) this.#announce(n);
    } catch {
      // The next notification or reconnect tries again.
    }
  }

  subscribe(listener: () => void): () => void {
    return this.#add(this.#wakeListeners, listener);
  }

  subscribeEvents(listener: (notice: EventNotice) => void): () => void {
    return this.#add(this.#eventListeners, listener);
  }

  subscribeOperations(listener: (change: OperationChange) => void): () => void {
    return this.#add(this.#opListeners, listener);
  }

  /**
   * Adds a listener, and LISTENs to `herald_wake` only while this process has wake listeners (an
   * engine): an `api` process is not signalled on every commit that makes work due. Events and
   * operations are always listened to: their listeners come and go with requests, and a notice
   * sent between a subscription and its LISTEN taking effect would be lost (a catch-up could only
   * announce it twice, and each committed event is announced exactly once).
   */
  #add<L>(set: Set<L>, listener: L): () => void {
    set.add(listener);
    this.#listen();
    return () => {
      set.delete(listener);
      this.#listen();
    };
  }

  #listen(): void {
    const channels: string[] = [CHANNELS.operations, CHANNELS.events];
    if (this.#wakeListeners.size > 0) channels.push(CHANNELS.wake, CHANNELS.engines);
    void this.#listener.setChannels(channels).then(() => this.#settleEngine());
  }

  /**
   * Takes this process's place among the engines (its LISTEN backend pid) once the connection
   * listens as one, or leaves it; either way every engine counts the engines again.
   */
  #settleEngine(): void {
    const self = this.#wakeListeners.size > 0 ? this.#listener.pid : undefined;
    if (self === this.#share.self) return;
    this.#share.setSelf(self);
    void this.#refreshEngines();
    this.#announceEngines().catch(() => {});
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A listener's failure must not fail the committed unit of work nor the other listeners.
  }
}
