import type { EmitInput, EmitResult, EventRecord } from '../model/records.js';
import type { EventNotice } from '../model/event-notice.js';

/** The event log, written through the transactional outbox (an event and its deliveries commit together). */
export interface EventLog {
  emitEvent(input: EmitInput): Promise<EmitResult>;
  /**
   * Emits every input in ONE transaction, all or nothing, and answers in input order. An input
   * whose idempotency key was used before returns the original event (`duplicate: true`).
   */
  emitEvents(inputs: readonly EmitInput[]): Promise<EmitResult[]>;
  getEvent(projectId: string, id: string): Promise<EventRecord | undefined>;
  listEvents(
    projectId: string,
    q: { afterSequence: number; types?: string[]; pageSize: number },
  ): Promise<EventRecord[]>;
  /**
   * Calls `listener` after every commit that appended events, once per event. A wake-up only:
   * readers fetch from `listEvents` after their own cursor. SQLite: in process. PostgreSQL:
   * LISTEN/NOTIFY, so notices cross processes.
   */
  subscribeEvents(listener: (notice: EventNotice) => void): () => void;
}
