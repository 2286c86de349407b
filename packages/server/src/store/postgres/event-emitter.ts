import type { EmitInput, EmitResult } from '../../model/records.js';
import { emitEventInTx, prepareEmit, writeEmit, type PreparedEmit } from './emit-event.js';
import { inTx, type PgPool } from './pg-database.js';

interface PendingEmit {
  input: EmitInput;
  resolve: (r: EmitResult) => void;
  reject: (e: unknown) => void;
}

/**
 * The PostgreSQL store's emit path, a group commit: emits waiting while another batch commits
 * share the next transaction (one project-row lock and one commit for up to 64 events, at most 4
 * batches committing at once), so a busy project is not limited to one event per commit. If a
 * batch fails, its emits are rerun one per transaction, so each caller gets its own result or error.
 */
export class PgEventEmitter {
  readonly #pool: PgPool;
  readonly #emits: PendingEmit[] = [];
  #flushers = 0;

  constructor(pool: PgPool) {
    this.#pool = pool;
  }

  emit(input: EmitInput): Promise<EmitResult> {
    return new Promise<EmitResult>((resolve, reject) => {
      this.#emits.push({ input, resolve, reject });
      if (this.#flushers < 4) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushers++;
    try {
      while (this.#emits.length > 0) {
        const batch = this.#emits.splice(0, 64);
        const results = batch.length > 1 ? await this.#together(batch) : undefined;
        if (results) {
          batch.forEach((item, i) => item.resolve(results[i]!));
          continue;
        }
        await Promise.all(
          batch.map((item) =>
            // A concurrent emit with the same idempotency key loses on the unique index; the
            // rerun returns the winner's event as a duplicate.
            inTx(this.#pool, (tx) => emitEventInTx(tx, item.input), {
              retryOnUnique: item.input.idempotencyKey !== undefined,
            }).then(item.resolve, item.reject),
          ),
        );
      }
    } finally {
      this.#flushers--;
    }
  }

  /**
   * Emits every input in ONE transaction of its own, all or nothing (a client's batch): every read
   * first, then one statement per event. A concurrent emit that wins an idempotency key makes the
   * transaction rerun once, and that input then returns the winner's event.
   */
  async emitMany(inputs: readonly EmitInput[]): Promise<EmitResult[]> {
    if (inputs.length === 0) return [];
    return inTx(
      this.#pool,
      async (tx) => {
        const prepared: PreparedEmit[] = [];
        for (const input of inputs) prepared.push(await prepareEmit(tx, input));
        const out: EmitResult[] = [];
        for (const p of prepared) out.push(await writeEmit(tx, p));
        return out;
      },
      { retryOnUnique: inputs.some((i) => i.idempotencyKey !== undefined) },
    );
  }

  /** The whole batch in one transaction; undefined if it failed (rerun one by one). */
  async #together(batch: PendingEmit[]): Promise<EmitResult[] | undefined> {
    try {
      return await inTx(this.#pool, async (tx) => {
        // Every read first, then one statement per event under the project row lock.
        const prepared: PreparedEmit[] = [];
        for (const item of batch) prepared.push(await prepareEmit(tx, item.input));
        const out: EmitResult[] = [];
        for (const p of prepared) out.push(await writeEmit(tx, p));
        return out;
      });
    } catch {
      return undefined;
    }
  }
}
