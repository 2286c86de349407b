import { randomBytes } from 'node:crypto';
import type { EventNotice } from '../../model/event-notice.js';
import type { OperationChange } from '../../model/operation-records.js';
import type { Tx } from './pg-database.js';

/**
 * LISTEN/NOTIFY channels. A wake-up or an operation change is sent inside the transaction that made
 * the change, so it is delivered at commit (and never for a rollback), to every process. Event
 * notices are sent just after the commit instead (`announceEventsAfterCommit`).
 */
export const CHANNELS = {
  /** Something may have become due (new deliveries, a retry, a replay, released leases). */
  wake: 'herald_wake',
  /** An event was appended: `{"projectId","sequence","type"}`. */
  events: 'herald_events',
  /** An operation changed: `{"projectId","name","kind","state"}`. */
  operations: 'herald_operations',
} as const;

/**
 * PostgreSQL folds identical notifications of one transaction into one, and a listener cannot
 * tell two wake-ups apart anyway, but a random suffix keeps wake-ups from different
 * transactions distinct, as graphile-worker does.
 */
export function notifyWake(tx: Tx, hint = ''): void {
  tx.notify(CHANNELS.wake, `${hint}:${randomBytes(6).toString('hex')}`);
}

/**
 * Announces committed events on `herald_events`, after the commit, in a statement of its own that
 * does not wait for the WAL flush. Inside the emit's transaction the NOTIFY would take
 * PostgreSQL's one notification-queue lock at commit and hold it through the commit's WAL flush,
 * so every durable emit commit of every process would queue behind the previous one (measured:
 * 7–23 % of active sessions waiting on `Lock:object`). A notice is only a hint to live readers,
 * who read the log after their own cursor and also on every heartbeat: one lost in a crash between
 * the commit and this statement delays them, it never loses an event.
 */
export function announceEventsAfterCommit(tx: Tx, notices: readonly (EventNotice & { type: string })[]): void {
  if (notices.length === 0) return;
  tx.afterCommit((db) =>
    db
      .run(`SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, p) FROM unnest($2::text[]) AS n(p)`, [
        CHANNELS.events,
        notices.map((n) => JSON.stringify(n)),
      ])
      .then(() => undefined),
  );
}

export function notifyOperation(tx: Tx, change: OperationChange): void {
  tx.notify(CHANNELS.operations, JSON.stringify(change));
}

export function parseEventNotice(payload: string): EventNotice | undefined {
  try {
    const v = JSON.parse(payload) as { projectId?: unknown; sequence?: unknown };
    if (typeof v.projectId === 'string' && typeof v.sequence === 'number')
      return { projectId: v.projectId, sequence: v.sequence };
  } catch {
    // not ours
  }
  return undefined;
}

export function parseOperationChange(payload: string): OperationChange | undefined {
  try {
    const v = JSON.parse(payload) as Partial<Record<keyof OperationChange, unknown>>;
    if (
      typeof v.projectId === 'string' &&
      typeof v.name === 'string' &&
      typeof v.kind === 'string' &&
      typeof v.state === 'string'
    )
      return { projectId: v.projectId, name: v.name, kind: v.kind, state: v.state as OperationChange['state'] };
  } catch {
    // not ours
  }
  return undefined;
}
