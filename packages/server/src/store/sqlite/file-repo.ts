import type { FileRepo } from '../../ports/file-repo.js';
import { FILE_COLUMNS, fileInsertParams, toFile, type FileRow } from '../rows/operation-rows.js';
import { INSERT_FILE } from './operation-repo.js';
import { deleteFileRow, selectFiles } from './files.js';
import type { SqliteContext } from './sqlite-context.js';

/** Uploaded files in SQLite (content as base64 in the row). */
export function sqliteFileRepo({ db, commits }: SqliteContext): FileRepo {
  return {
    async createFile(file, content) {
      commits.tx(() => db.prepare(INSERT_FILE).run(...fileInsertParams(file, content)));
    },
    async getFile(projectId, name) {
      const row = db
        .prepare<[string, string], FileRow>(`SELECT ${FILE_COLUMNS} FROM files WHERE name = ? AND project_id = ?`)
        .get(name, projectId);
      return row ? toFile(row) : undefined;
    },
    async getFileContent(projectId, name) {
      const row = db
        .prepare<[string, string], { content_b64: string }>(
          'SELECT content_b64 FROM files WHERE name = ? AND project_id = ?',
        )
        .get(name, projectId);
      return row ? new Uint8Array(Buffer.from(row.content_b64, 'base64')) : undefined;
    },
    async listFiles(projectId, q) {
      return selectFiles(db, projectId, q);
    },
    async deleteFile(projectId, name) {
      return commits.tx(() => deleteFileRow(db, projectId, name));
    },
  };
}
