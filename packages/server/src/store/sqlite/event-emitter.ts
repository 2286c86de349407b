import type { DirectDispatch } from '../../ports/direct-dispatch.js';
import type { ClaimedDelivery, EmitInput, EmitResult } from '../../model/records.js';
import type { SqliteCommits } from './commits.js';
import { releaseLeasesInTx } from './complete-attempt.js';
import { emitEventInTx, type SqliteEmitResult } from './emit-event.js';
import type { SqliteDatabase } from './open-database.js';

/**
 * The SQLite store's emit path: each event in the events group commit, with direct dispatch to
 * the engine registered here (see DirectDispatch). Leases an emit takes are reserved against the
 * engine's room until its commit is durable, so one group commit never hands out more than the
 * engine takes; deliveries written pending wake the engine's claim loop instead.
 */
export class SqliteEventEmitter {
  readonly #db: SqliteDatabase;
  readonly #commits: SqliteCommits;
  readonly #wake: () => void;
  #dispatch: DirectDispatch | undefined;
  #reserved = 0;

  constructor(db: SqliteDatabase, commits: SqliteCommits, wake: () => void) {
    this.#db = db;
    this.#commits = commits;
    this.#wake = wake;
  }

  setDirectDispatch(dispatch: DirectDispatch | undefined): void {
    this.#dispatch = dispatch;
  }

  async emit(input: EmitInput): Promise<EmitResult> {
    let dispatch: DirectDispatch | undefined;
    let reserved = 0;
    let result: SqliteEmitResult;
    try {
      result = await this.#commits.events.run(() => {
        // Read when the unit runs (in commit order), not when it was queued.
        dispatch = this.#dispatch;
        const room = dispatch ? dispatch.room() - this.#reserved : 0;
        const lease = dispatch && room > 0 ? { ...dispatch, room } : undefined;
        const r = emitEventInTx(this.#db, input, lease);
        reserved = r.direct.length;
        this.#reserved += reserved;
        return r;
      });
    } finally {
      this.#reserved -= reserved;
    }
    const { direct, ...emitted } = result;
    if (direct.length > 0 && dispatch) this.#handOver(direct, dispatch, input.createdAt);
    if (!emitted.duplicate && emitted.event.deliveryCount > direct.length) this.#wake();
    return emitted;
  }

  /** Gives directly leased deliveries to their engine, or back to the queue if it has left. */
  #handOver(direct: ClaimedDelivery[], dispatch: DirectDispatch, now: number): void {
    if (this.#dispatch === dispatch) {
      dispatch.accept(direct);
      return;
    }
    if (!this.#db.open) return; // released at the next open
    const ids = direct.map((d) => d.id);
    if (this.#commits.tx(() => releaseLeasesInTx(this.#db, ids, dispatch.owner, now)) > 0) this.#wake();
  }
}
