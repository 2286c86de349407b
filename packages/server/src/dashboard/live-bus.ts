/** What changed, for the dashboard's live refresh (a wake-up only: pages re-read the store). */
export type LiveKind = 'event' | 'attempt' | 'delivery' | 'webhook' | 'operation';

export type LiveListener = (kind: LiveKind) => void;

/**
 * In-process fan-out of "project P changed" notices to open dashboard streams. Fed by the store's
 * event and operation notifications and by the engine's attempt hook. A listener's failure never
 * reaches the notifier.
 */
export class LiveBus {
  readonly #listeners = new Map<string, Set<LiveListener>>();

  subscribe(projectId: string, listener: LiveListener): () => void {
    let set = this.#listeners.get(projectId);
    if (!set) {
      set = new Set();
      this.#listeners.set(projectId, set);
    }
    set.add(listener);
    return () => {
      const s = this.#listeners.get(projectId);
      if (!s) return;
      s.delete(listener);
      if (s.size === 0) this.#listeners.delete(projectId);
    };
  }

  notify(projectId: string, kind: LiveKind): void {
    const set = this.#listeners.get(projectId);
    if (!set) return;
    for (const l of set) {
      try {
        l(kind);
      } catch {
        // A broken stream must not fail the commit or the attempt that notified.
      }
    }
  }

  /** Open subscriptions (for tests and diagnostics). */
  get size(): number {
    let n = 0;
    for (const s of this.#listeners.values()) n += s.size;
    return n;
  }
}
