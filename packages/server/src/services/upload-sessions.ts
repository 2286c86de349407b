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

/** Resumable upload sessions between `start` and `finalize`. In memory: a restart loses them, and the client starts again. */
export class UploadSessions {
  readonly #sessions = new Map<string, UploadSession>();
  readonly #ttlMs: number;
  readonly #max: number;

  constructor(opts: { ttlMs?: number; max?: number } = {}) {
    this.#ttlMs = opts.ttlMs ?? 3_600_000;
    this.#max = opts.max ?? 1000;
  }

  start(input: Omit<UploadSession, 'id' | 'chunks' | 'received' | 'createdAt'>, now: number): UploadSession {
    this.#sweep(now);
    if (this.#sessions.size >= this.#max) this.#sessions.delete(this.#sessions.keys().next().value!);
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
