import type { ProjectRecord } from '../../model/records.js';
import type { ProjectRepo } from '../../ports/project-repo.js';
import { PROJECT_COLUMNS, projectPatchColumns, toProjectRecord, type ProjectRow } from '../rows/project-rows.js';
import { projectDeletionStatements } from '../shared/project-deletion.js';
import { projectListQuery } from '../shared/project-list.js';
import type { PgContext } from './pg-context.js';
import { selectProjectSettings, updateProjectSettingsInTx } from './project-settings.js';
import type { Tx } from './pg-database.js';

async function selectProject(db: Pick<Tx, 'one'>, id: string): Promise<ProjectRecord | undefined> {
  const r = await db.one<ProjectRow>(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = $1`, [id]);
  return r ? toProjectRecord(r) : undefined;
}

const DELETIONS = projectDeletionStatements('$1');

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
    async createProject(p) {
      const n = await tx((t) =>
        t.run(
          `INSERT INTO projects (id, name, created_at, logo_uri, accent_color, events_per_second, max_webhooks)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
          [
            p.id,
            p.name,
            p.createdAt,
            p.branding?.logoUri ?? null,
            p.branding?.accentColor ?? null,
            p.limits?.eventsPerSecond ?? null,
            p.limits?.maxWebhooks ?? null,
          ],
        ),
      );
      return n === 1;
    },
    async getProject(id) {
      return selectProject(reader, id);
    },
    async listProjects(q) {
      const { sql, params } = projectListQuery(q, (n) => `$${n}`);
      return (await reader.rows<ProjectRow>(sql, params)).map(toProjectRecord);
    },
    async updateProject(id, patch) {
      return tx(async (t) => {
        const columns = projectPatchColumns(patch);
        if (columns.length > 0) {
          const set = columns.map(([c], i) => `${c} = $${i + 2}`).join(', ');
          await t.run(`UPDATE projects SET ${set} WHERE id = $1`, [id, ...columns.map(([, v]) => v)]);
        }
        return selectProject(t, id);
      });
    },
    async deleteProject(id) {
      return tx(async (t) => {
        // Locks the project row first: an emit racing the delete waits, then finds no project.
        const locked = await t.one('SELECT id FROM projects WHERE id = $1 FOR UPDATE', [id]);
        if (!locked) return false;
        for (const sql of DELETIONS) await t.run(sql, [id]);
        return true;
      });
    },
    async getProjectSettings(projectId) {
      return selectProjectSettings(reader, projectId);
    },
    async updateProjectSettings(projectId, patch) {
      return tx((t) => updateProjectSettingsInTx(t, projectId, patch));
    },
  };
}
