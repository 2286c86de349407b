import { CHANNELS } from './channels.js';
import type { Tx } from './pg-database.js';

/** What the LISTEN connection of a process with an engine calls itself (`application_name`). */
export const ENGINE_SESSION_NAME = 'herald-engine';

type Reader = Pick<Tx, 'rows'>;

/**
 * The engines of this database: the backend pids of the LISTEN connections named `herald-engine`.
 * PostgreSQL drops a session the moment its process dies (the socket closes), so this lists the
 * live engines without a heartbeat table.
 */
export async function readEngines(reader: Reader): Promise<number[]> {
  const rows = await reader.rows<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
    [ENGINE_SESSION_NAME],
  );
  return rows.map((r) => r.pid);
}

/** Tells every engine to read the engines again (one started or stopped listening). */
export async function announceEngines(reader: Reader): Promise<void> {
  await reader.rows('SELECT pg_notify($1, $2)', [CHANNELS.engines, '']);
}

/**
 * Which wake-up notices this process's engine answers (ADR 0016). `NOTIFY` reaches every listening
 * process; with every engine claiming on every notice, a second worker doubled the claims and
 * half of them came back empty (the other engine had leased the rows), so a second worker took
 * throughput away. Each notice now belongs to one engine: its payload's random suffix modulo the
 * number of live engines, against this engine's place among them (ordered by backend pid).
 *
 * Every view of the members is a hint, as every notice is: while two engines disagree (one has
 * just started or stopped, or died), a notice may be answered twice (a spare claim) or by nobody.
 * Nobody is covered three ways: an engine whose view of the members changed claims at once
 * (`update` returns true), the engines re-read the members every second (`enginesRefreshMs` of
 * PgNotifications), and the store's safety-net poll wakes every engine regardless. An engine that
 * does not know its own place answers every notice.
 */
export class WakeShare {
  #members: readonly number[] = [];
  #self: number | undefined;

  /** This process's LISTEN backend pid, once it listens as an engine (undefined otherwise). */
  setSelf(pid: number | undefined): void {
    this.#self = pid;
  }

  get self(): number | undefined {
    return this.#self;
  }

  get members(): readonly number[] {
    return this.#members;
  }

  /** Stores the members read from the database; true when this changes which notices are whose. */
  update(pids: readonly number[]): boolean {
    const before = this.#members;
    this.#members = [...pids].sort((a, b) => a - b);
    return before.length !== this.#members.length || before.some((p, i) => p !== this.#members[i]);
  }

  /** Whether this engine answers the wake-up notice with this payload (`<hint>:<hex>`). */
  mine(payload: string): boolean {
    const self = this.#self;
    const n = this.#members.length;
    if (self === undefined || n <= 1) return true;
    const place = this.#members.indexOf(self);
    if (place < 0) return true;
    const tail = /[0-9a-f]{8}$/.exec(payload);
    if (!tail) return true;
    return Number.parseInt(tail[0], 16) % n === place;
  }
}
