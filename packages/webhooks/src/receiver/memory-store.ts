/**
 * An in-process idempotency store with TTL and a size bound.
 * @module
 */

import type { IdempotencyStore } from './idempotency-store.js';

/** Options of {@link MemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** Most keys kept; the least recently claimed are evicted first. Default `10_000`. */
  maxEntries?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/**
 * Keeps claimed `webhook-id`s in a `Map` (insertion order = LRU order). Fine for one process;
 * use the SQLite or Redis store when several processes receive webhooks. Once `maxEntries` is
 * reached the oldest claims are evicted, which shortens their dedupe window.
 *
 * @example
 * ```ts
 * const store = new MemoryIdempotencyStore({ maxEntries: 50_000 });
 * const receiver = createWebhookReceiver({ verifier, store });
 * ```
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #entries = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: MemoryIdempotencyStoreOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.#now = options.now ?? Date.now;
  }

  /** Number of keys currently held (expired ones included until evicted). */
  get size(): number {
    return this.#entries.size;
  }

  /** @inheritdoc */
  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    const now = this.#now();
    const expiresAt = this.#entries.get(key);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.#entries.delete(key);
    this.#entries.set(key, now + ttlSeconds * 1000);
    this.#evict(now);
    return true;
  }

  /** @inheritdoc */
  async release(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  #evict(now: number): void {
    for (const [key, expiresAt] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && expiresAt > now) break;
      this.#entries.delete(key);
    }
  }
}
