import type { DirectDispatch } from '../../ports/direct-dispatch.js';
import type { ClaimedDelivery, EmitInput, EmitResult } from '../../model/records.js';
import type { SqliteCommits } from './commits.js';
import { releaseLeasesInTx } from './complete-attempt.js';
import { emitEventInTx, type SqliteEmitResult } from './emit-event.js';
import type { SqliteDatabase } from './open-database.js';

/**
 * The SQLite store's emit path: each event in the events group commit, with direct dispatch to
 * the engine registered here (see DirectDispatch). Leases an emit takes are counted by the engine
 * from the end of its unit (`reserve`), before the commit is durable, so one group commit never
 * hands out more than the engine takes and a claim meanwhile leaves their slots alone; deliveries
 * written pending wake the engine's claim loop instead.
 */
export class SqliteEventEmitter {
  readonly #db: SqliteDatabase;
  readonly #commits: SqliteCommits;
  readonly #wake: () => void;
  #dispatch: DirectDispatch | undefined;

  constructor(db: SqliteDatabase, commits: SqliteCommits, wake: () => void) {
    this.#db = db;
    this.#commits = commits;
    this.#wake = wake;
  }

  setDirectDispatch(dispatch: DirectDispatch | undefined): void {
    this.#dispatch = dispatch;
  }

  async emit(input: EmitInput): Promise<EmitResult> {
    const [emitted] = await this.emitMany([input]);
    return emitted!;
  }

  /**
   * Emits every input in one unit of the events group commit (its own savepoint: all or nothing),
   * leasing fresh deliveries directly while the engine has room.
   */
  async emitMany(inputs: readonly EmitInput[]): Promise<EmitResult[]> {
    if (inputs.length === 0) return [];
    let dispatch: DirectDispatch | undefined;
    let direct: ClaimedDelivery[] = [];
    let results: SqliteEmitResult[];
    try {
      results = await this.#commits.events.run(() => {
        // Read when the unit runs (in commit order), not when it was queued.
        const engine = this.#dispatch;
        dispatch = engine;
        const out: SqliteEmitResult[] = [];
        let taken = 0;
        for (const input of inputs) {
          const room = engine ? engine.room(input.projectId) - taken : 0;
          const lease = engine && room > 0 ? { ...engine, room } : undefined;
          const r = emitEventInTx(this.#db, input, lease);
          taken += r.direct.length;
          out.push(r);
        }
        // The engine counts them from here (the next unit, or a claim, sees their slots taken).
        direct = out.flatMap((r) => r.direct);
        if (direct.length > 0) engine?.reserve(direct);
        return out;
      });
    } catch (err) {
      if (direct.length > 0) dispatch?.release(direct);
      throw err;
    }
    if (direct.length > 0 && dispatch) this.#handOver(direct, dispatch, inputs[0]!.createdAt);
    if (results.some((r) => !r.duplicate && r.event.deliveryCount > r.direct.length)) this.#wake();
    return results.map(({ direct: _direct, ...emitted }) => emitted);
  }

  /** Gives directly leased deliveries to their engine, or back to the queue if it has left. */
  #handOver(direct: ClaimedDelivery[], dispatch: DirectDispatch, now: number): void {
    if (this.#dispatch === dispatch) {
      dispatch.accept(direct);
      return;
    }
    dispatch.release(direct);
    if (!this.#db.open) return; // released at the next open
    const ids = direct.map((d) => d.id);
    if (this.#commits.tx(() => releaseLeasesInTx(this.#db, ids, dispatch.owner, now)) > 0) this.#wake();
  }
}
