import type { FileRecord } from '../../model/operation-records.js';
import type { FileQuery } from '../../ports/file-repo.js';
import { toFile, type FileRow } from '../rows/operation-rows.js';
import type { SqliteDatabase } from './open-database.js';

const COLUMNS = 'name, project_id, display_name, mime_type, size_bytes, sha256, operation, created_at, expire_at';

/** A project's files, newest first, after the keyset cursor `q.before`. */
export function selectFiles(db: SqliteDatabase, projectId: string, q: FileQuery): FileRecord[] {
  const rows = q.before
    ? db
        .prepare<[string, number, number, string, number], FileRow>(
          `SELECT ${COLUMNS} FROM files WHERE project_id = ?
           AND (created_at < ? OR (created_at = ? AND name < ?))
           ORDER BY created_at DESC, name DESC LIMIT ?`,
        )
        .all(projectId, q.before.createdAt, q.before.createdAt, q.before.name, q.limit)
    : db
        .prepare<[string, number], FileRow>(
          `SELECT ${COLUMNS} FROM files WHERE project_id = ? ORDER BY created_at DESC, name DESC LIMIT ?`,
        )
        .all(projectId, q.limit);
  return rows.map(toFile);
}

/** Deletes the file and its bytes; false when the project has no such file. */
export function deleteFileRow(db: SqliteDatabase, projectId: string, name: string): boolean {
  return db.prepare('DELETE FROM files WHERE name = ? AND project_id = ?').run(name, projectId).changes > 0;
}
