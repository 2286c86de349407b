import type { EventNotice } from '../../model/event-notice.js';
import type { ProjectRecord } from '../../model/records.js';
import type { ProjectRepo } from '../../ports/project-repo.js';
import type { PgContext } from './pg-context.js';
import { selectProjectSettings, updateProjectSettingsInTx } from './project-settings.js';
import type { Tx } from './pg-database.js';

async function selectProject(db: Pick<Tx, 'one'>, id: string): Promise<ProjectRecord | undefined> {
  const r = await db.one<{ id: string; name: string; created_at: number }>(
    'SELECT id, name, created_at FROM projects WHERE id = $1',
    [id],
  );
  return r ? { id: r.id, name: r.name, createdAt: r.created_at } : undefined;
}

/** Projects and their settings in PostgreSQL. */
export function pgProjectRepo({ reader, tx }: PgContext): ProjectRepo {
  return {
    /** Creates the project unless it exists (processes starting together race here), and returns it. */
    async ensureProject(p) {
      return tx(async (t) => {
        await t.run('INSERT INTO projects (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
          p.id,
          p.name,
          p.createdAt,
        ]);
        return (await selectProject(t, p.id))!;
      });
    },
    async getProject(id) {
      return selectProject(reader, id);
    },
    async getProjectSettings(projectId) {
      return selectProjectSettings(reader, projectId);
    },
    async updateProjectSettings(projectId, patch) {
      return tx((t) => updateProjectSettingsInTx(t, projectId, patch));
    },
  };
}

/** Every project's latest event sequence (re-announced after the LISTEN connection reconnects). */
export async function selectLatestSequences(db: Pick<Tx, 'rows'>): Promise<EventNotice[]> {
  const rows = await db.rows<{ id: string; event_seq: number }>(
    'SELECT id, event_seq FROM projects WHERE event_seq > 0',
  );
  return rows.map((r) => ({ projectId: r.id, sequence: r.event_seq }));
}
