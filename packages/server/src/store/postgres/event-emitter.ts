import type { EmitInput, EmitResult } from '../../model/records.js';
import { emitEventInTx, prepareEmit, writeEmit, type PreparedEmit } from './emit-event.js';
import { PgGroupCommit } from './group-commit.js';
import { inTx, type PgPool, type Tx } from './pg-database.js';

/**
 * The PostgreSQL store's emit path, a group commit (`PgGroupCommit`): emits waiting while another
 * batch commits share the next transaction (one commit for up to 64 events, at most 4 batches
 * committing at once). Every read of a batch comes first, then one statement per event; no row is
 * locked to number events (ADR 0012). A failed batch reruns one emit per transaction, so each
 * caller gets its own result or error.
 */
export class PgEventEmitter {
  readonly #pool: PgPool;
  readonly #group: PgGroupCommit<EmitInput, EmitResult>;

  constructor(pool: PgPool) {
    this.#pool = pool;
    this.#group = new PgGroupCommit<EmitInput, EmitResult>({
      pool,
      batch: writeAll,
      // A concurrent emit with the same idempotency key loses on the unique index; the rerun
      // returns the winner's event as a duplicate.
      one: (input) =>
        inTx(pool, (tx) => emitEventInTx(tx, input), { retryOnUnique: input.idempotencyKey !== undefined }),
    });
  }

  emit(input: EmitInput): Promise<EmitResult> {
    return this.#group.submit(input);
  }

  /**
   * Emits every input in ONE transaction of its own, all or nothing (a client's batch): every read
   * first, then one statement per event. A concurrent emit that wins an idempotency key makes the
   * transaction rerun once, and that input then returns the winner's event.
   */
  async emitMany(inputs: readonly EmitInput[]): Promise<EmitResult[]> {
    if (inputs.length === 0) return [];
    return inTx(this.#pool, (tx) => writeAll(tx, inputs), {
      retryOnUnique: inputs.some((i) => i.idempotencyKey !== undefined),
    });
  }
}

async function writeAll(tx: Tx, inputs: readonly EmitInput[]): Promise<EmitResult[]> {
  const prepared: PreparedEmit[] = [];
  for (const input of inputs) prepared.push(await prepareEmit(tx, input));
  const out: EmitResult[] = [];
  for (const p of prepared) out.push(await writeEmit(tx, p));
  return out;
}
