/**
 * The deduplication contract used by the receiver helper.
 * @module
 */

/**
 * Remembers which `webhook-id`s were processed.
 *
 * Implementations: {@link MemoryIdempotencyStore} (core), `SqliteIdempotencyStore`
 * (`@herald/webhooks/sqlite`), `RedisIdempotencyStore` (`@herald/webhooks/redis`).
 *
 * @example
 * ```ts
 * if (await store.claim(id, 90_000)) {
 *   try { await handle(event); } catch (err) { await store.release(id); throw err; }
 * }
 * ```
 */
export interface IdempotencyStore {
  /**
   * Atomically records `key` for `ttlSeconds` if it is absent (or expired). Resolves `true` when
   * this call claimed it (process the message), `false` when it was already claimed (duplicate).
   */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  /** Forgets `key` so a retry of the message is processed again (called when the handler fails). */
  release(key: string): Promise<void>;
}
