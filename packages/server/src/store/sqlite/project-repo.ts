import type { ProjectRecord } from '../../model/records.js';
import type { ProjectRepo } from '../../ports/project-repo.js';
import { selectProjectSettings, updateProjectSettings } from './project-settings.js';
import type { SqliteContext } from './sqlite-context.js';

/** Projects and their settings in SQLite. */
export function sqliteProjectRepo({ db, commits }: SqliteContext): ProjectRepo {
  const project = (id: string): ProjectRecord | undefined => {
    const r = db
      .prepare<[string], { id: string; name: string; created_at: number }>(
        'SELECT id, name, created_at FROM projects WHERE id = ?',
      )
      .get(id);
    return r ? { id: r.id, name: r.name, createdAt: r.created_at } : undefined;
  };
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
    async getProject(id) {
      return project(id);
    },
    async getProjectSettings(projectId) {
      return selectProjectSettings(db, projectId);
    },
    async updateProjectSettings(projectId, patch) {
      return commits.tx(() => updateProjectSettings(db, projectId, patch));
    },
  };
}
