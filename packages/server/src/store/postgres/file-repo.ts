import type { FileRepo } from '../../ports/file-repo.js';
import { FILE_COLUMNS, fileInsertParams, toFile, type FileRow } from '../rows/operation-rows.js';
import { INSERT_FILE } from './operation-repo.js';
import { deleteFileRow, selectFiles } from './files.js';
import type { PgContext } from './pg-context.js';

/** Uploaded files in PostgreSQL (content as base64 in the row). */
export function pgFileRepo({ reader, tx }: PgContext): FileRepo {
  return {
    async createFile(file, content) {
      await tx((t) => t.run(INSERT_FILE, fileInsertParams(file, content)));
    },
    async getFile(projectId, name) {
      const row = await reader.one<FileRow>(`SELECT ${FILE_COLUMNS} FROM files WHERE name = $1 AND project_id = $2`, [
        name,
        projectId,
      ]);
      return row ? toFile(row) : undefined;
    },
    async getFileContent(projectId, name) {
      const row = await reader.one<{ content_b64: string }>(
        'SELECT content_b64 FROM files WHERE name = $1 AND project_id = $2',
        [name, projectId],
      );
      return row ? new Uint8Array(Buffer.from(row.content_b64, 'base64')) : undefined;
    },
    async listFiles(projectId, q) {
      return selectFiles(reader, projectId, q);
    },
    async deleteFile(projectId, name) {
      return tx((t) => deleteFileRow(t, projectId, name));
    },
  };
}
