import { randomBytes } from 'node:crypto';
import { sleep } from '../../lib/time.js';

export interface ProducerOptions {
  /** The API processes to send to, read before every try (a restarted process has a new port). */
  targets: () => string[];
  apiKey: string;
  /** Event type every emit carries. */
  type: string;
  /** Concurrent emitters. */
  concurrency: number;
  /** Most events to emit in all (the run is bounded even if `stop()` never comes). */
  max: number;
  /** Bytes of padding in each event's data (fills a disk faster). */
  padBytes?: number;
}

/** What the producer saw, besides the accepted events. */
export interface ProducerStats {
  emitted: number;
  accepted: number;
  /** Tries that got no answer (refused, reset, timed out): retried with the same key. */
  networkErrors: number;
  /** Answers by status other than 200 (all retried, except 4xx other than 408/409/429). */
  statuses: Record<string, number>;
  /** The first message seen for each non-200 status. */
  messages: Record<string, string>;
  /** Emits given up on: a 4xx that retrying cannot fix (a bug in Herald or here). */
  rejected: number;
  /** Emits abandoned without an answer (the scenario gave up on Herald coming back). */
  unanswered: number;
  /** Answers whose `idempotent-replayed` header said the key had been committed before. */
  replayed: number;
}

/**
 * A producer as the docs tell people to write one: every emit carries an `Idempotency-Key` and is
 * retried (same key, same body) until Herald answers it, whatever happens to the process. Its
 * `accepted` map (sequence number → the event's `message_id`) is what Herald promised to deliver.
 */
export class Producer {
  readonly accepted = new Map<number, string>();
  readonly stats: ProducerStats = {
    emitted: 0,
    accepted: 0,
    networkErrors: 0,
    statuses: {},
    messages: {},
    rejected: 0,
    unanswered: 0,
    replayed: 0,
  };
  readonly #opts: ProducerOptions;
  readonly #run = randomBytes(4).toString('hex');
  readonly #pad: string;
  #next = 0;
  #stopped = false;
  #abandoned = false;
  #rr = 0;
  #loops: Promise<void>[] = [];
  #waiters: { n: number; resolve: () => void }[] = [];

  constructor(opts: ProducerOptions) {
    this.#opts = opts;
    this.#pad = 'x'.repeat(opts.padBytes ?? 0);
  }

  start(): this {
    for (let i = 0; i < this.#opts.concurrency; i++) this.#loops.push(this.#loop());
    return this;
  }

  /**
   * Stops taking new sequence numbers; resolves once every emit already begun is answered, or,
   * with `abandon`, at its next try (counted as `unanswered`).
   */
  async stop(abandon = false): Promise<void> {
    this.#stopped = true;
    this.#abandoned ||= abandon;
    await Promise.all(this.#loops);
  }

  /** Resolves once `n` events have been accepted, or every emitter has finished. */
  waitAccepted(n: number): Promise<void> {
    if (this.stats.accepted >= n) return Promise.resolve();
    const reached = new Promise<void>((resolve) => this.#waiters.push({ n, resolve }));
    return Promise.race([reached, Promise.all(this.#loops).then(() => undefined)]);
  }

  async #loop(): Promise<void> {
    while (!this.#stopped && this.#next < this.#opts.max) {
      const seq = this.#next++;
      this.stats.emitted++;
      await this.#emit(seq);
    }
  }

  #target(): string | undefined {
    const all = this.#opts.targets();
    if (all.length === 0) return undefined;
    return all[this.#rr++ % all.length];
  }

  async #emit(seq: number): Promise<void> {
    const body = JSON.stringify({ type: this.#opts.type, data: { seq, pad: this.#pad } });
    const key = `chaos-${this.#run}-${seq}`;
    let backoff = 25;
    for (;;) {
      if (this.#abandoned) {
        this.stats.unanswered++;
        return;
      }
      const base = this.#target();
      if (base !== undefined) {
        try {
          const res = await fetch(`${base}/v1beta/events`, {
            method: 'POST',
            headers: {
              'x-goog-api-key': this.#opts.apiKey,
              'content-type': 'application/json',
              'idempotency-key': key,
            },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          const text = await res.text();
          if (res.status === 200) {
            const id = (JSON.parse(text) as { message_id: string }).message_id;
            this.accepted.set(seq, id);
            this.stats.accepted++;
            this.#waiters = this.#waiters.filter((w) => (w.n <= this.stats.accepted ? (w.resolve(), false) : true));
            if (res.headers.get('idempotent-replayed') === 'true') this.stats.replayed++;
            return;
          }
          const s = String(res.status);
          this.stats.statuses[s] = (this.stats.statuses[s] ?? 0) + 1;
          this.stats.messages[s] ??= text.slice(0, 300);
          if (res.status >= 400 && res.status < 500 && ![408, 409, 429].includes(res.status)) {
            this.stats.rejected++;
            return;
          }
        } catch {
          this.stats.networkErrors++;
        }
      }
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 500);
    }
  }
}
