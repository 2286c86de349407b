import type { FileRecord } from '../model/operation-records.js';

/** Uploaded files (operation outputs are stored with `OperationRepo.updateOperation`). */
export interface FileRepo {
  createFile(file: FileRecord, content: Uint8Array): Promise<void>;
  getFile(projectId: string, name: string): Promise<FileRecord | undefined>;
  getFileContent(projectId: string, name: string): Promise<Uint8Array | undefined>;
}
