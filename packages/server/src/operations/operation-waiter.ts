import { invalidArgument } from '../kernel/domain-errors.js';
import type { OperationRepo } from '../ports/operation-repo.js';
import { isFinal } from './states.js';

/** Longest long-poll a client may ask for. */
export const MAX_WAIT_MS = 60_000;

/**
 * Parses `?wait=`: `30s`, `1.5s`, `500ms`, `1m` or plain seconds (`30`), capped at 60 s.
 * Undefined or empty means no waiting.
 */
export function parseWait(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  if (!m)
    throw invalidArgument(`wait must be a duration such as "30s" or "500ms" (at most 60s), got "${raw.slice(0, 40)}"`);
  const n = Number(m[1]);
  const ms = m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
  return Math.min(Math.round(ms), MAX_WAIT_MS);
}

/**
 * Long-poll support: resolves as soon as an operation is done (a final state, or deleted), woken
 * by the store's in-process change notification, never by polling; or when the wait ends.
 * The wait is wall-clock time (a request timeout), not simulated time.
 */
export class OperationWaiter {
  readonly #store: Pick<OperationRepo, 'getOperation' | 'subscribeOperations'>;
  readonly #pending = new Set<() => void>();

  constructor(store: Pick<OperationRepo, 'getOperation' | 'subscribeOperations'>) {
    this.#store = store;
  }

  async waitUntilDone(projectId: string, name: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (timeoutMs <= 0 || signal?.aborted) return;
    let finish = () => {};
    const done = new Promise<void>((resolve) => (finish = resolve));
    const unsubscribe = this.#store.subscribeOperations((c) => {
      if (c.projectId === projectId && c.name === name && (c.state === 'deleted' || isFinal(c.state))) finish();
    });
    const timer = setTimeout(finish, timeoutMs);
    timer.unref();
    signal?.addEventListener('abort', finish, { once: true });
    this.#pending.add(finish);
    try {
      // Subscribed first, then read: a change between the two cannot be missed.
      const op = await this.#store.getOperation(projectId, name);
      if (!op || isFinal(op.state)) return;
      await done;
    } finally {
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', finish);
      this.#pending.delete(finish);
    }
  }

  /** Ends every wait now (server shutdown): each request answers with the current state. */
  releaseAll(): void {
    for (const f of this.#pending) f();
  }
}
