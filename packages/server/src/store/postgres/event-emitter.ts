import type { EmitInput, EmitResult } from '../../model/records.js';
import type { DirectDispatch, DirectLease } from '../../ports/direct-dispatch.js';
import type { ClaimedDelivery } from '../../model/records.js';
import { chooseDirect, newBatchDestinations } from './direct-lease.js';
import { prepareEmit } from './emit-event.js';
import { writeEmits, type EmitToWrite, type PgEmitResult, type PreparedEmit } from './write-emits.js';
import { PgGroupCommit } from './group-commit.js';
import { inTx, type PgPool, type Statements, type Tx } from './pg-database.js';

/**
 * The PostgreSQL store's emit path, a group commit (`PgGroupCommit`): emits waiting while another
 * batch commits share the next transaction (one commit for up to 64 events; a second batch
 * commits beside it only when 64 wait, up to 4 at once). Every read of a batch comes first, then
 * one statement for all its events; no row is locked to number events (ADR 0012). A failed batch
 * reruns one emit per transaction, so each caller gets its own result or error.
 *
 * With an engine in this process (`setDirectDispatch`), a fresh delivery to a destination with
 * nothing pending and room is written already leased to it and handed over after the commit: no
 * claim round trip (see direct-lease.ts). Leases taken are reserved against the engine's room
 * until they are handed over, so concurrent batches never hand out more than it takes.
 */
export class PgEventEmitter {
  readonly #pool: PgPool;
  readonly #group: PgGroupCommit<EmitInput, PgEmitResult>;
  #dispatch: DirectDispatch | undefined;
  #reserved = 0;

  constructor(pool: PgPool) {
    this.#pool = pool;
    this.#group = new PgGroupCommit<EmitInput, PgEmitResult>({
      pool,
      batch: (tx, inputs, inTransaction) => this.#writeBatch(tx, inputs, inTransaction),
      // Without direct leases (locked in the transaction) or a supersede (a second write), a batch
      // writes with one statement (`writeEmits`) after its reads: it needs no BEGIN and COMMIT.
      inTransaction: (inputs) => this.#dispatch !== undefined || inputs.some((i) => i.supersedeKey !== undefined),
      // A concurrent emit with the same idempotency key loses on the unique index; the rerun
      // returns the winner's event as a duplicate.
      one: (input) =>
        inTx(pool, (tx) => writeAll(tx, [input]).then((r) => r[0]!), {
          retryOnUnique: input.idempotencyKey !== undefined,
        }),
    });
  }

  setDirectDispatch(dispatch: DirectDispatch | undefined): void {
    this.#dispatch = dispatch;
  }

  async emit(input: EmitInput): Promise<EmitResult> {
    const { direct: _direct, ...result } = await this.#group.submit(input);
    return result;
  }

  /**
   * Emits every input in ONE transaction of its own, all or nothing (a client's batch): every read
   * first, then one statement for all of them. A concurrent emit that wins an idempotency key makes the
   * transaction rerun once, and that input then returns the winner's event.
   */
  async emitMany(inputs: readonly EmitInput[]): Promise<EmitResult[]> {
    if (inputs.length === 0) return [];
    const results = await inTx(this.#pool, (tx) => this.#writeBatch(tx, inputs), {
      retryOnUnique: inputs.some((i) => i.idempotencyKey !== undefined),
    });
    return results.map(({ direct: _direct, ...r }) => r);
  }

  /**
   * A group-commit batch, leasing directly while the engine has room; hands over after commit. The
   * room is reserved here while the batch chooses (concurrent batches never lease the same room
   * twice); the leases it took are then counted by the engine itself (`reserve`) until they are
   * handed over after the commit, or given back on a rollback.
   */
  async #writeBatch(tx: Tx, inputs: readonly EmitInput[], inTransaction = true): Promise<PgEmitResult[]> {
    // Direct leases lock their destinations until the commit: only inside a transaction.
    const dispatch = inTransaction ? this.#dispatch : undefined;
    const room = dispatch ? Math.max(0, dispatch.room() - this.#reserved) : 0;
    this.#reserved += room;
    let results: PgEmitResult[];
    try {
      const lease: DirectLease | undefined = dispatch && room > 0 ? { ...dispatch, room } : undefined;
      results = await writeAll(tx, inputs, lease, dispatch);
    } finally {
      this.#reserved -= room;
    }
    const direct = results.flatMap((r) => r.direct);
    if (direct.length > 0 && dispatch) {
      dispatch.reserve(direct);
      tx.onRollback(() => dispatch.release(direct));
      tx.afterCommit((db) => handOver(db, direct, dispatch, this.#dispatch === dispatch));
    }
    return results;
  }
}

/**
 * Every read first, then the direct leases event by event (a project's per-input room), then one
 * statement for every event of the batch (`writeEmits`).
 */
async function writeAll(
  tx: Tx,
  inputs: readonly EmitInput[],
  lease?: DirectLease,
  dispatch?: DirectDispatch,
): Promise<PgEmitResult[]> {
  const prepared: PreparedEmit[] = [];
  for (const input of inputs) prepared.push(await prepareEmit(tx, input));
  const items: EmitToWrite[] = [];
  const taken = new Map<string, number>();
  const batch = newBatchDestinations();
  for (const p of prepared) {
    if (!lease || !dispatch || p.duplicate) {
      items.push({ prepared: p });
      continue;
    }
    const projectId = p.input.projectId;
    const own: DirectLease = {
      ...lease,
      room: Math.min(lease.room, dispatch.room(projectId) - (taken.get(projectId) ?? 0)),
    };
    const ids = await chooseDirect(tx, projectId, p.destIds, own, batch);
    lease.room -= ids.size;
    taken.set(projectId, (taken.get(projectId) ?? 0) + ids.size);
    items.push({ prepared: p, direct: { ids, lease } });
  }
  return writeEmits(tx, items);
}

/** Gives directly leased deliveries to their engine, or back to the queue if it has stopped. */
async function handOver(db: Statements, direct: ClaimedDelivery[], dispatch: DirectDispatch, current: boolean) {
  if (current) {
    dispatch.accept(direct);
    return;
  }
  dispatch.release(direct);
  const now = direct[0]!.createdAt;
  await db.run(
    `WITH back AS (
       UPDATE deliveries SET status = 'pending', lease_owner = NULL, lease_until = NULL, updated_at = $3
       WHERE id = ANY($1::text[]) AND status = 'in_flight' AND lease_owner = $2
       RETURNING destination_id
     )
     UPDATE destinations SET in_flight = 0, next_due_at = least(next_due_at, $3::bigint)
     WHERE id IN (SELECT destination_id FROM back)`,
    [direct.map((d) => d.id), dispatch.owner, now],
  );
}
