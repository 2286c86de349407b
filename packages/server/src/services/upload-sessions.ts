import { BASE36_LOWER, randomString } from '../kernel/random-id.js';

export interface UploadSession {
  id: string;
  projectId: string;
  displayName: string;
  mimeType: string;
  /** Declared total size (X-Goog-Upload-Header-Content-Length), if any. */
  size: number | undefined;
  chunks: Buffer[];
  received: number;
  createdAt: number;
}

/** Too many unfinished uploads (for the project, or in all): finish or abandon some first. */
export class UploadLimitError extends Error {
  override name = 'UploadLimitError';
}

const MiB = 1024 * 1024;

export interface UploadSessionLimits {
  /** An unfinished session is dropped this long after its start (default 1 h). */
  ttlMs?: number;
  /** Unfinished sessions in all (default 1,000). */
  max?: number;
  /** Unfinished sessions of one project (default 20). */
  maxSessionsPerProject?: number;
  /** Bytes held by the unfinished sessions of one project (default 64 MiB). */
  maxBytesPerProject?: number;
  /** Bytes held by all unfinished sessions (default 256 MiB). */
  maxBytes?: number;
}

/**
 * Resumable upload sessions between `start` and `finalize`. In memory: a restart loses them, and
 * the client starts again. Memory is bounded: by project and in all, in sessions and in bytes; a
 * session or chunk over a limit is refused (never another project's session evicted), and
 * sessions older than the TTL are dropped.
 */
export class UploadSessions {
  readonly #sessions = new Map<string, UploadSession>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #maxPerProject: number;
  readonly #maxBytesPerProject: number;
  readonly #maxBytes: number;

  constructor(opts: UploadSessionLimits = {}) {
    this.#ttlMs = opts.ttlMs ?? 3_600_000;
    this.#max = opts.max ?? 1000;
    this.#maxPerProject = opts.maxSessionsPerProject ?? 20;
    this.#maxBytesPerProject = opts.maxBytesPerProject ?? 64 * MiB;
    this.#maxBytes = opts.maxBytes ?? 256 * MiB;
  }

  /** Opens a session. @throws UploadLimitError when the project, or Herald, has too many open. */
  start(input: Omit<UploadSession, 'id' | 'chunks' | 'received' | 'createdAt'>, now: number): UploadSession {
    this.#sweep(now);
    const mine = [...this.#sessions.values()].filter((s) => s.projectId === input.projectId).length;
    if (mine >= this.#maxPerProject)
      throw new UploadLimitError(
        `this project has ${mine} unfinished uploads (at most ${this.#maxPerProject}): finish them, or wait until they expire (${this.#ttlMs / 60_000} min after their start)`,
      );
    if (this.#sessions.size >= this.#max)
      throw new UploadLimitError(
        `Herald has ${this.#sessions.size} unfinished uploads in all (at most ${this.#max}): retry later`,
      );
    const session: UploadSession = {
      ...input,
      id: randomString(BASE36_LOWER, 32),
      chunks: [],
      received: 0,
      createdAt: now,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** Adds a chunk; returns why it is refused (nothing is added then), or undefined. */
  append(session: UploadSession, chunk: Buffer): string | undefined {
    const project = this.heldBytes(session.projectId);
    if (project + chunk.byteLength > this.#maxBytesPerProject)
      return `unfinished uploads of this project already hold ${project} bytes (at most ${this.#maxBytesPerProject}): finish or abandon some, or retry after they expire`;
    const all = this.heldBytes();
    if (all + chunk.byteLength > this.#maxBytes)
      return `unfinished uploads hold ${all} bytes in all (at most ${this.#maxBytes}): retry later`;
    session.chunks.push(chunk);
    session.received += chunk.byteLength;
    return undefined;
  }

  /** Bytes held by unfinished sessions, of one project or in all. */
  heldBytes(projectId?: string): number {
    let n = 0;
    for (const s of this.#sessions.values()) if (projectId === undefined || s.projectId === projectId) n += s.received;
    return n;
  }

  get(id: string, projectId: string, now: number): UploadSession | undefined {
    this.#sweep(now);
    const s = this.#sessions.get(id);
    return s && s.projectId === projectId ? s : undefined;
  }

  end(id: string): void {
    this.#sessions.delete(id);
  }

  #sweep(now: number): void {
    for (const [id, s] of this.#sessions) if (now - s.createdAt > this.#ttlMs) this.#sessions.delete(id);
  }
}
