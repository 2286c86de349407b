import type { ProjectSettings } from '../../model/signing-records.js';
import type { SqliteDatabase } from './open-database.js';

/** Project settings for SQLite; `updateProjectSettings` runs inside a transaction. */
export function selectProjectSettings(db: SqliteDatabase, projectId: string): ProjectSettings | undefined {
  const r = db
    .prepare<[string], { dynamic_signing: string }>('SELECT dynamic_signing FROM projects WHERE id = ?')
    .get(projectId);
  return r ? { dynamicSigning: r.dynamic_signing === 'jwt' ? 'jwt' : 'v1a' } : undefined;
}

export function updateProjectSettings(
  db: SqliteDatabase,
  projectId: string,
  patch: Partial<ProjectSettings>,
): ProjectSettings | undefined {
  if (patch.dynamicSigning !== undefined) {
    db.prepare('UPDATE projects SET dynamic_signing = ? WHERE id = ?').run(patch.dynamicSigning, projectId);
  }
  return selectProjectSettings(db, projectId);
}
