import type { FileRecord } from '../../model/operation-records.js';
import type { FileQuery } from '../../ports/file-repo.js';
import { toFile, type FileRow } from '../rows/operation-rows.js';
import type { Tx } from './pg-database.js';

const COLUMNS = 'name, project_id, display_name, mime_type, size_bytes, sha256, operation, created_at, expire_at';

/** A project's files, newest first, after the keyset cursor `q.before`. */
export async function selectFiles(tx: Pick<Tx, 'rows'>, projectId: string, q: FileQuery): Promise<FileRecord[]> {
  const rows = q.before
    ? await tx.rows<FileRow>(
        `SELECT ${COLUMNS} FROM files WHERE project_id = $1 AND (created_at, name) < ($2, $3)
         ORDER BY created_at DESC, name DESC LIMIT $4`,
        [projectId, q.before.createdAt, q.before.name, q.limit],
      )
    : await tx.rows<FileRow>(
        `SELECT ${COLUMNS} FROM files WHERE project_id = $1 ORDER BY created_at DESC, name DESC LIMIT $2`,
        [projectId, q.limit],
      );
  return rows.map(toFile);
}

/** Deletes the file and its bytes; false when the project has no such file. */
export async function deleteFileRow(tx: Pick<Tx, 'rows'>, projectId: string, name: string): Promise<boolean> {
  const rows = await tx.rows<{ name: string }>('DELETE FROM files WHERE name = $1 AND project_id = $2 RETURNING name', [
    name,
    projectId,
  ]);
  return rows.length > 0;
}
