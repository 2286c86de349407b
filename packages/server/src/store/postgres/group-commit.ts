import { inStatements } from './in-statements.js';
import { inTx, poolStatements, type PgPool, type Statements, type Tx } from './pg-database.js';

export interface GroupCommitOptions<I, R> {
  pool: PgPool;
  /**
   * Runs a whole batch in one transaction (`inTransaction` false: in statements that each commit),
   * answering in input order.
   */
  batch: (tx: Tx, items: I[], inTransaction: boolean) => Promise<R[]>;
  /**
   * Optional, for items with no result: first tries the whole batch as statements that each commit
   * on their own (no transaction: one round trip where a transaction takes at least three), and
   * returns the items it left for `batch`. A failure leaves them all to `batch`.
   */
  alone?: undefined extends R ? (db: Statements, items: I[]) => Promise<I[]> : never;
  /**
   * Optional: false when `batch` would write these items with ONE statement, which then runs
   * without a transaction around the batch (`inStatements`: two round trips fewer). Default true.
   */
  inTransaction?: (items: I[]) => boolean;
  /** Runs one item in a transaction of its own (after its batch failed, or alone). */
  one: (item: I) => Promise<R>;
  /** Most items per transaction. */
  maxBatch?: number;
  /**
   * Most transactions committing at once. One commits while the next items gather; another starts
   * only when a full batch (`maxBatch`) is waiting.
   */
  maxFlushers?: number;
  /**
   * A flusher that finds fewer than `maxBatch` items waiting waits this long once before taking
   * them (default 0): for items nobody waits on to go on, so that a batch fills (attempt records).
   */
  lingerMs?: number;
  /** Commit batches without waiting for the WAL flush (see TxOptions.asyncCommit). */
  asyncCommit?: boolean;
}

interface Waiting<I, R> {
  item: I;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/**
 * A group commit on PostgreSQL: units of work that arrive while earlier ones commit share the next
 * transaction (one commit, one WAL flush, for up to `maxBatch` of them), with at most
 * `maxFlushers` transactions in flight, a second one only while a full batch waits. A lone item
 * runs as a batch of one. If a batch fails, each of its items reruns alone (`one`), so every caller
 * gets its own result or error. Used for emits and for attempt records.
 *
 * @example
 * const records = new PgGroupCommit({ pool, batch: (tx, xs) => …, one: (x) => inTx(pool, …) });
 * await records.submit(input);
 */
export class PgGroupCommit<I, R> {
  readonly #o: Required<Omit<GroupCommitOptions<I, R>, 'alone' | 'inTransaction'>> &
    Pick<GroupCommitOptions<I, R>, 'alone' | 'inTransaction'>;
  readonly #queue: Waiting<I, R>[] = [];
  #flushers = 0;

  constructor(opts: GroupCommitOptions<I, R>) {
    this.#o = { maxBatch: 64, maxFlushers: 4, asyncCommit: false, lingerMs: 0, ...opts };
  }

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      // A second flusher only for a full batch: items that arrive while one commits wait and go
      // together (fewer, larger commits: with 4 flushers racing, 32 requests in flight made batches
      // of 4.7 events and 1.2 commits per delivery; with this, 0.4–0.5).
      const full = this.#queue.length >= this.#o.maxBatch;
      if (this.#flushers === 0 || (full && this.#flushers < this.#o.maxFlushers)) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushers++;
    try {
      if (this.#o.lingerMs > 0 && this.#queue.length < this.#o.maxBatch)
        await new Promise((resolve) => setTimeout(resolve, this.#o.lingerMs));
      while (this.#queue.length > 0) {
        let batch = this.#queue.splice(0, this.#o.maxBatch);
        if (this.#o.alone) {
          batch = await this.#alone(batch);
          if (batch.length === 0) continue;
        }
        const results = await this.#together(batch);
        if (results) {
          batch.forEach((w, i) => w.resolve(results[i]!));
          continue;
        }
        await Promise.all(batch.map((w) => this.#o.one(w.item).then(w.resolve, w.reject)));
      }
    } finally {
      this.#flushers--;
    }
  }

  /** Resolves the items `alone` took care of; returns the rest. */
  async #alone(batch: Waiting<I, R>[]): Promise<Waiting<I, R>[]> {
    let left: Set<I>;
    try {
      left = new Set(
        await this.#o.alone!(
          poolStatements(this.#o.pool),
          batch.map((w) => w.item),
        ),
      );
    } catch {
      return batch;
    }
    for (const w of batch) if (!left.has(w.item)) w.resolve(undefined as R);
    return batch.filter((w) => left.has(w.item));
  }

  async #together(batch: Waiting<I, R>[]): Promise<R[] | undefined> {
    const items = batch.map((w) => w.item);
    try {
      if (this.#o.inTransaction?.(items) === false)
        return await inStatements(this.#o.pool, (tx) => this.#o.batch(tx, items, false));
      return await inTx(this.#o.pool, (tx) => this.#o.batch(tx, items, true), {
        asyncCommit: this.#o.asyncCommit,
      });
    } catch {
      return undefined;
    }
  }
}
