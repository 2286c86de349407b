import type { EventNotice } from '../../model/event-notice.js';
import type { ProjectRecord } from '../../model/records.js';
import type { Tx } from './pg-database.js';

/** Creates the project unless it exists (processes starting together race here), and returns it. */
export async function ensureProjectInTx(tx: Tx, p: ProjectRecord): Promise<ProjectRecord> {
  await tx.run('INSERT INTO projects (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
    p.id,
    p.name,
    p.createdAt,
  ]);
  return (await selectProject(tx, p.id))!;
}

export async function selectProject(db: Pick<Tx, 'one'>, id: string): Promise<ProjectRecord | undefined> {
  const r = await db.one<{ id: string; name: string; created_at: number }>(
    'SELECT id, name, created_at FROM projects WHERE id = $1',
    [id],
  );
  return r ? { id: r.id, name: r.name, createdAt: r.created_at } : undefined;
}

/** Every project's latest event sequence (re-announced after the LISTEN connection reconnects). */
export async function selectLatestSequences(db: Pick<Tx, 'rows'>): Promise<EventNotice[]> {
  const rows = await db.rows<{ id: string; event_seq: number }>(
    'SELECT id, event_seq FROM projects WHERE event_seq > 0',
  );
  return rows.map((r) => ({ projectId: r.id, sequence: r.event_seq }));
}
