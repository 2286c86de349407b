import type { EventLog } from '../../ports/event-log.js';
import { toEvent, type EventRow } from '../rows/rows.js';
import type { SqliteEventEmitter } from './event-emitter.js';
import type { SqliteContext } from './sqlite-context.js';

/** The event log in SQLite: emits go through the emitter (group commit, direct dispatch). */
export function sqliteEventLog({ db, commits }: SqliteContext, emitter: SqliteEventEmitter): EventLog {
  return {
    emitEvent: (input) => emitter.emit(input),
    emitEvents: (inputs) => emitter.emitMany(inputs),
    async getEvent(projectId, id) {
      const r = db
        .prepare<[string, string], EventRow>('SELECT * FROM events WHERE id = ? AND project_id = ?')
        .get(id, projectId);
      return r ? toEvent(r) : undefined;
    },
    /** Events after a sequence cursor, oldest first, optionally of some types only. */
    async listEvents(projectId, q) {
      const types = q.types && q.types.length > 0 ? q.types : undefined;
      const sql = `SELECT * FROM events WHERE project_id = ? AND sequence > ?${
        types ? ` AND type IN (${types.map(() => '?').join(', ')})` : ''
      } ORDER BY sequence LIMIT ?`;
      return db
        .prepare<unknown[], EventRow>(sql)
        .all(projectId, q.afterSequence, ...(types ?? []), q.pageSize)
        .map(toEvent);
    },
    subscribeEvents: (listener) => commits.subscribeEvents(listener),
  };
}
