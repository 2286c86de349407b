import type { EventLog } from '../../ports/event-log.js';
import { toEvent, type EventRow } from '../rows/rows.js';
import type { PgEventEmitter } from './event-emitter.js';
import type { PgNotifications } from './notifications.js';
import type { PgContext } from './pg-context.js';
import { WATERMARK_SQL } from './event-order.js';

/** The event log in PostgreSQL: emits in the emitter's group commit, notices over LISTEN/NOTIFY. */
export function pgEventLog({ reader }: PgContext, emitter: PgEventEmitter, notifications: PgNotifications): EventLog {
  return {
    emitEvent: (input) => emitter.emit(input),
    emitEvents: (inputs) => emitter.emitMany(inputs),
    async getEvent(projectId, id) {
      const r = await reader.one<EventRow>('SELECT * FROM events WHERE id = $1 AND project_id = $2', [id, projectId]);
      return r ? toEvent(r) : undefined;
    },
    /**
     * The project's event log after a sequence number, optionally of some types only, below the
     * watermark: an event whose older neighbours may still commit waits (ADR 0012).
     */
    async listEvents(projectId, q) {
      const types = q.types && q.types.length > 0 ? q.types : undefined;
      const rows = await reader.rows<EventRow>(
        `SELECT * FROM events WHERE project_id = $1 AND sequence > $2 AND sequence < ${WATERMARK_SQL}${types ? ' AND type = ANY($4::text[])' : ''}
         ORDER BY sequence LIMIT $3`,
        types ? [projectId, q.afterSequence, q.pageSize, types] : [projectId, q.afterSequence, q.pageSize],
      );
      return rows.map(toEvent);
    },
    subscribeEvents: (listener) => notifications.subscribeEvents(listener),
  };
}
