import type { EventRecord } from '../../model/records.js';
import type { SqliteDatabase } from './open-database.js';
import { toEvent, type EventRow } from '../rows/rows.js';

/** Read side of the event log. */
export function selectEvent(db: SqliteDatabase, projectId: string, id: string): EventRecord | undefined {
  const r = db
    .prepare<[string, string], EventRow>('SELECT * FROM events WHERE id = ? AND project_id = ?')
    .get(id, projectId);
  return r ? toEvent(r) : undefined;
}

/** Events after a sequence cursor, oldest first, optionally of some types only. */
export function selectEventsAfter(
  db: SqliteDatabase,
  projectId: string,
  q: { afterSequence: number; types?: string[]; pageSize: number },
): EventRecord[] {
  const types = q.types && q.types.length > 0 ? q.types : undefined;
  const sql = `SELECT * FROM events WHERE project_id = ? AND sequence > ?${
    types ? ` AND type IN (${types.map(() => '?').join(', ')})` : ''
  } ORDER BY sequence LIMIT ?`;
  return db
    .prepare<unknown[], EventRow>(sql)
    .all(projectId, q.afterSequence, ...(types ?? []), q.pageSize)
    .map(toEvent);
}
