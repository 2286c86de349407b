import type { FileRecord } from '../model/operation-records.js';
import type { EpochMs } from '../model/records.js';

/** A page of files: at most `limit`, older than the keyset cursor `before` when set. */
export interface FileQuery {
  limit: number;
  before?: { createdAt: EpochMs; name: string };
}

/** Uploaded files (operation outputs are stored with `OperationRepo.updateOperation`). */
export interface FileRepo {
  createFile(file: FileRecord, content: Uint8Array): Promise<void>;
  getFile(projectId: string, name: string): Promise<FileRecord | undefined>;
  getFileContent(projectId: string, name: string): Promise<Uint8Array | undefined>;
  /** A project's files, newest first (uploads and operation outputs alike). */
  listFiles(projectId: string, q: FileQuery): Promise<FileRecord[]>;
  /** Deletes a file and its bytes; false when there is no such file in the project. */
  deleteFile(projectId: string, name: string): Promise<boolean>;
}
