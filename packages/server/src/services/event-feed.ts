import type { EventLog } from '../ports/event-log.js';

/** Called with the sequence of a newly committed event of the watched project. */
export type EventWatcher = (sequence: number) => void;

/**
 * Fans the store's event notices out to live readers (SSE streams) by project, over ONE store
 * subscription, taken when the first reader arrives and dropped when the last one leaves. With
 * PostgreSQL the same store subscription is driven by LISTEN, so nothing here changes.
 *
 * @example
 * const feed = new EventFeed(store);
 * const stop = feed.watch('default', (sequence) => wakeUp(sequence));
 */
export class EventFeed {
  readonly #store: Pick<EventLog, 'subscribeEvents'>;
  readonly #byProject = new Map<string, Set<EventWatcher>>();
  #unsubscribe: (() => void) | undefined;
  #count = 0;

  constructor(store: Pick<EventLog, 'subscribeEvents'>) {
    this.#store = store;
  }

  /** Number of active watchers (one per open stream). */
  get watchers(): number {
    return this.#count;
  }

  /** Starts calling `watcher` for every event committed in `projectId`; returns the stop function. */
  watch(projectId: string, watcher: EventWatcher): () => void {
    let set = this.#byProject.get(projectId);
    if (!set) {
      set = new Set();
      this.#byProject.set(projectId, set);
    }
    const entry: EventWatcher = (s) => watcher(s); // a distinct identity per call
    set.add(entry);
    this.#count++;
    this.#unsubscribe ??= this.#store.subscribeEvents((n) => {
      for (const w of this.#byProject.get(n.projectId) ?? []) w(n.sequence);
    });
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      set.delete(entry);
      if (set.size === 0) this.#byProject.delete(projectId);
      this.#count--;
      if (this.#count === 0) {
        this.#unsubscribe?.();
        this.#unsubscribe = undefined;
      }
    };
  }
}
