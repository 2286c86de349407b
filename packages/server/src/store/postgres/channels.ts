import { randomBytes } from 'node:crypto';
import type { EventNotice } from '../../model/event-notice.js';
import type { OperationChange } from '../../model/operation-records.js';
import type { Tx } from './pg-database.js';

/**
 * LISTEN/NOTIFY channels. A wake-up or an operation change is sent inside the transaction that made
 * the change, so it is delivered at commit (and never for a rollback), to every process. Event
 * notices are sent just after the commit instead (`announceEventsAfterCommit`, lower-due.ts).
 */
export const CHANNELS = {
  /** Something may have become due (new deliveries, a retry, a replay, released leases). */
  wake: 'herald_wake',
  /** An event was appended: `{"projectId","sequence","type"}`. */
  events: 'herald_events',
  /** An engine started or stopped listening: every engine reads the engines again (wake-share.ts). */
  engines: 'herald_engines',
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
