import type { ProjectRepo } from '../../ports/project-repo.js';
import { PROJECT_COLUMNS, projectPatchColumns, toProjectRecord, type ProjectRow } from '../rows/project-rows.js';
import { projectDeletionStatements } from '../shared/project-deletion.js';
import { projectListQuery } from '../shared/project-list.js';
import { selectProjectSettings, updateProjectSettings } from './project-settings.js';
import type { SqliteContext } from './sqlite-context.js';

/** Projects and their settings in SQLite. */
export function sqliteProjectRepo({ db, commits, secrets }: SqliteContext): ProjectRepo {
  const project = (id: string) => {
    const r = db.prepare<[string], ProjectRow>(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = ?`).get(id);
    return r ? toProjectRecord(r) : undefined;
  };
  const deletions = projectDeletionStatements('?');
  return {
    async ensureProject(p) {
      return commits.tx(() => {
        db.prepare('INSERT OR IGNORE INTO projects (id, name, created_at) VALUES (?, ?, ?)').run(
          p.id,
          p.name,
          p.createdAt,
        );
        return project(p.id)!;
      });
    },
    async createProject(p) {
      return commits.tx(() => {
        const r = db
          .prepare(
            'INSERT OR IGNORE INTO projects (id, name, created_at, logo_uri, accent_color, events_per_second, max_webhooks) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            p.id,
            p.name,
            p.createdAt,
            p.branding?.logoUri ?? null,
            p.branding?.accentColor ?? null,
            p.limits?.eventsPerSecond ?? null,
            p.limits?.maxWebhooks ?? null,
          );
        return r.changes === 1;
      });
    },
    async getProject(id) {
      return project(id);
    },
    async listProjects(q) {
      const { sql, params } = projectListQuery(q, () => '?');
      return db
        .prepare<unknown[], ProjectRow>(sql)
        .all(...params)
        .map(toProjectRecord);
    },
    async updateProject(id, patch) {
      return commits.tx(() => {
        const columns = projectPatchColumns(patch);
        if (columns.length > 0) {
          const set = columns.map(([c]) => `${c} = ?`).join(', ');
          db.prepare(`UPDATE projects SET ${set} WHERE id = ?`).run(...columns.map(([, v]) => v), id);
        }
        return project(id);
      });
    },
    async deleteProject(id) {
      return commits.tx(() => {
        if (!project(id)) return false;
        for (const sql of deletions) db.prepare(sql).run(id);
        secrets.clear();
        return true;
      });
    },
    async getProjectSettings(projectId) {
      return selectProjectSettings(db, projectId);
    },
    async updateProjectSettings(projectId, patch) {
      return commits.tx(() => updateProjectSettings(db, projectId, patch));
    },
  };
}
