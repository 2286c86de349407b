import type { Clock } from '../kernel/clock.js';
import type { AdminKeyRepo } from '../ports/admin-key-repo.js';
import type { ApiKeyRepo } from '../ports/api-key-repo.js';

interface Tracked {
  projectId: string;
  keyId: string;
  /** Opened with an admin key (checked against the admin keys, not the project's). */
  admin: boolean;
  close: () => void;
}

/**
 * The long-lived streams (event stream, listener streams, the dashboard's live updates) by the
 * API key that opened them, so that revoking a key ends them: at once when the key is revoked
 * in this process (`DELETE /apiKeys/{id}`), and within `recheckMs` when another process revoked
 * it (every `recheckMs` the keys of the projects with open streams are read again). A read that
 * fails (database down) keeps the streams; the next one decides.
 */
export class KeyStreams {
  readonly #open = new Set<Tracked>();
  readonly #store: Pick<ApiKeyRepo, 'listApiKeys'> & Pick<AdminKeyRepo, 'listAdminKeys'>;
  readonly #clock: Clock;
  readonly #recheckMs: number;
  #timer: unknown;
  #checking = false;

  constructor(opts: {
    store: Pick<ApiKeyRepo, 'listApiKeys'> & Pick<AdminKeyRepo, 'listAdminKeys'>;
    clock: Clock;
    recheckMs?: number;
  }) {
    this.#store = opts.store;
    this.#clock = opts.clock;
    this.#recheckMs = opts.recheckMs ?? 15_000;
  }

  /** Open streams, for tests and metrics. */
  get size(): number {
    return this.#open.size;
  }

  /** Registers a stream opened with key `keyId` of `projectId`; `close` ends it. Returns the untrack function. */
  track(projectId: string, keyId: string, close: () => void, admin = false): () => void {
    const t: Tracked = { projectId, keyId, admin, close };
    this.#open.add(t);
    this.#schedule();
    return () => {
      this.#open.delete(t);
    };
  }

  /** Ends every stream opened with `keyId` (it was just revoked). */
  revoked(keyId: string): void {
    for (const t of [...this.#open]) if (t.keyId === keyId) this.#end(t);
  }

  /** Reads the keys of every project with open streams and ends those of keys no longer active. */
  async recheck(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      if ([...this.#open].some((t) => t.admin)) {
        try {
          const keys = await this.#store.listAdminKeys();
          const active = new Set(keys.filter((k) => k.revokedAt === null).map((k) => k.id));
          for (const t of [...this.#open]) if (t.admin && !active.has(t.keyId)) this.#end(t);
        } catch {
          // the next re-check tries again
        }
      }
      const projects = new Set([...this.#open].filter((t) => !t.admin).map((t) => t.projectId));
      for (const projectId of projects) {
        let active: Set<string>;
        try {
          const keys = await this.#store.listApiKeys(projectId);
          active = new Set(keys.filter((k) => k.revokedAt === null).map((k) => k.id));
        } catch {
          continue;
        }
        for (const t of [...this.#open])
          if (!t.admin && t.projectId === projectId && !active.has(t.keyId)) this.#end(t);
      }
    } finally {
      this.#checking = false;
    }
  }

  /** Stops the periodic re-check (the streams themselves are ended by their routes). */
  stop(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #end(t: Tracked): void {
    this.#open.delete(t);
    t.close();
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      void this.recheck().finally(() => {
        if (this.#open.size > 0) this.#schedule();
      });
    }, this.#recheckMs);
  }
}
