import type { EventRecord } from '../../model/records.js';
import { toEvent, type EventRow } from '../rows/rows.js';
import type { Tx } from './pg-database.js';

export async function selectEvent(
  db: Pick<Tx, 'one'>,
  projectId: string,
  id: string,
): Promise<EventRecord | undefined> {
  const r = await db.one<EventRow>('SELECT * FROM events WHERE id = $1 AND project_id = $2', [id, projectId]);
  return r ? toEvent(r) : undefined;
}

/** The project's event log after a sequence number, optionally of some types only. */
export async function selectEventsAfter(
  db: Pick<Tx, 'rows'>,
  projectId: string,
  q: { afterSequence: number; types?: string[]; pageSize: number },
): Promise<EventRecord[]> {
  const types = q.types && q.types.length > 0 ? q.types : undefined;
  const rows = await db.rows<EventRow>(
    `SELECT * FROM events WHERE project_id = $1 AND sequence > $2${types ? ' AND type = ANY($4::text[])' : ''}
     ORDER BY sequence LIMIT $3`,
    types ? [projectId, q.afterSequence, q.pageSize, types] : [projectId, q.afterSequence, q.pageSize],
  );
  return rows.map(toEvent);
}
