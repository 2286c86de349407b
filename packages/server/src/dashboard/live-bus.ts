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
  readonly #feeds = new Set<() => () => void>();
  readonly #stops = new Map<() => () => void, () => void>();
  #open = 0;

  subscribe(projectId: string, listener: LiveListener): () => void {
    let set = this.#listeners.get(projectId);
    if (!set) {
      set = new Set();
      this.#listeners.set(projectId, set);
    }
    if (!set.has(listener)) {
      set.add(listener);
      if (this.#open++ === 0) for (const f of this.#feeds) this.#startFeed(f);
    }
    return () => {
      const s = this.#listeners.get(projectId);
      if (!s?.delete(listener)) return;
      if (s.size === 0) this.#listeners.delete(projectId);
      if (--this.#open === 0) for (const stop of this.#stops.values()) stop();
      if (this.#open === 0) this.#stops.clear();
    };
  }

  /**
   * A source of notices (`start` subscribes and returns its unsubscribe), subscribed to only while
   * some stream is open: with nobody watching, a process does no work per appended event (on
   * PostgreSQL each event notice otherwise costs a watermark read).
   */
  feed(start: () => () => void): () => void {
    this.#feeds.add(start);
    if (this.#open > 0) this.#startFeed(start);
    return () => {
      this.#feeds.delete(start);
      this.#stops.get(start)?.();
      this.#stops.delete(start);
    };
  }

  #startFeed(start: () => () => void): void {
    this.#stops.set(start, start());
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
