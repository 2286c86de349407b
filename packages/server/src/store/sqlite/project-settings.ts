import { toProjectSettings, type ProjectSettings, type ProjectSettingsPatch } from '../../model/signing-records.js';
import type { SqliteDatabase } from './open-database.js';

/** Project settings for SQLite; `updateProjectSettings` runs inside a transaction. */
export function selectProjectSettings(db: SqliteDatabase, projectId: string): ProjectSettings | undefined {
  const r = db
    .prepare<[string], { dynamic_signing: string; dynamic_audience: string | null }>(
      'SELECT dynamic_signing, dynamic_audience FROM projects WHERE id = ?',
    )
    .get(projectId);
  return r ? toProjectSettings(r) : undefined;
}

export function updateProjectSettings(
  db: SqliteDatabase,
  projectId: string,
  patch: ProjectSettingsPatch,
): ProjectSettings | undefined {
  if (patch.dynamicSigning !== undefined) {
    db.prepare('UPDATE projects SET dynamic_signing = ? WHERE id = ?').run(patch.dynamicSigning, projectId);
  }
  if (patch.dynamicAudience !== undefined) {
    db.prepare('UPDATE projects SET dynamic_audience = ? WHERE id = ?').run(patch.dynamicAudience, projectId);
  }
  return selectProjectSettings(db, projectId);
}
