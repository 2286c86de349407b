import { notFound } from '../kernel/domain-errors.js';
import type { FileRecord } from '../model/operation-records.js';
import type { FileQuery, FileRepo } from '../ports/file-repo.js';

/**
 * A project's files (Gemini's Files API): uploads, and the outputs operations produced.
 *
 * @example
 * const { file, content } = await files.download('default', 'files/abc123');
 */
export class FileService {
  readonly #repo: FileRepo;

  constructor(deps: { files: FileRepo }) {
    this.#repo = deps.files;
  }

  /** Stores an uploaded file and its bytes. */
  create(file: FileRecord, content: Uint8Array): Promise<void> {
    return this.#repo.createFile(file, content);
  }

  async get(projectId: string, name: string): Promise<FileRecord> {
    const f = await this.#repo.getFile(projectId, name);
    if (!f) throw missing(name);
    return f;
  }

  /** The project's files, newest first (keyset pages). */
  list(projectId: string, q: FileQuery): Promise<FileRecord[]> {
    return this.#repo.listFiles(projectId, q);
  }

  /** Deletes the file and its bytes. */
  async delete(projectId: string, name: string): Promise<void> {
    if (!(await this.#repo.deleteFile(projectId, name))) throw missing(name);
  }

  /** The file's bytes, or undefined when the project has no such file. */
  content(projectId: string, name: string): Promise<Uint8Array | undefined> {
    return this.#repo.getFileContent(projectId, name);
  }

  async exists(projectId: string, name: string): Promise<boolean> {
    return (await this.#repo.getFile(projectId, name)) !== undefined;
  }

  /** The file's metadata and bytes. */
  async download(projectId: string, name: string): Promise<{ file: FileRecord; content: Uint8Array }> {
    const file = await this.get(projectId, name);
    const content = await this.#repo.getFileContent(projectId, name);
    if (!content) throw missing(name);
    return { file, content };
  }
}

const missing = (name: string) => notFound(`file "${name.slice(0, 200)}" not found in this project`);
