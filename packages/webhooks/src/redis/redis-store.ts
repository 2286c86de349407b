/**
 * An idempotency store in Redis (`ioredis`, optional peer dependency).
 * @module
 */

import type { IdempotencyStore } from '../receiver/idempotency-store.js';

/** The parts of an `ioredis` client this store uses. */
export interface RedisLike {
  set(key: string, value: string, px: 'PX', ttlMs: number, nx: 'NX'): Promise<string | null>;
  del(key: string): Promise<number>;
  quit(): Promise<unknown>;
}

/** Options of {@link createRedisIdempotencyStore}. */
export interface RedisIdempotencyStoreOptions {
  /** An `ioredis` client to use (not closed by `close()`). */
  client?: RedisLike;
  /** `redis://…` URL, connected with `ioredis` when no `client` is given. */
  url?: string;
  /** Key prefix. Default `'herald:webhook-id:'`. */
  prefix?: string;
}

/**
 * `IdempotencyStore` backed by Redis: a claim is `SET key 1 PX ttl NX` (atomic), a release is
 * `DEL key`. Redis expires keys itself.
 *
 * @example
 * ```ts
 * const store = await createRedisIdempotencyStore({ url: 'redis://127.0.0.1:6379' });
 * ```
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  readonly #client: RedisLike;
  readonly #owned: boolean;
  readonly #prefix: string;

  /** Use {@link createRedisIdempotencyStore}, which can load `ioredis`. */
  constructor(client: RedisLike, owned: boolean, prefix = 'herald:webhook-id:') {
    this.#client = client;
    this.#owned = owned;
    this.#prefix = prefix;
  }

  /** @inheritdoc */
  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    const ttlMs = Math.max(1, Math.round(ttlSeconds * 1000));
    return (await this.#client.set(this.#prefix + key, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** @inheritdoc */
  async release(key: string): Promise<void> {
    await this.#client.del(this.#prefix + key);
  }

  /** Disconnects the client if this store created it. */
  async close(): Promise<void> {
    if (this.#owned) await this.#client.quit();
  }
}

/**
 * Returns a {@link RedisIdempotencyStore} on `client`, or on a new `ioredis` connection to `url`
 * (`ioredis` is loaded with a dynamic `import()` only then).
 *
 * @example
 * ```ts
 * import { createRedisIdempotencyStore } from '@herald/webhooks/redis';
 *
 * const store = await createRedisIdempotencyStore({ url: process.env.REDIS_URL });
 * ```
 */
export async function createRedisIdempotencyStore(
  options: RedisIdempotencyStoreOptions,
): Promise<RedisIdempotencyStore> {
  if (options.client) return new RedisIdempotencyStore(options.client, false, options.prefix);
  if (!options.url) throw new TypeError('createRedisIdempotencyStore needs client or url');
  let Redis: typeof import('ioredis').Redis;
  try {
    Redis = (await import('ioredis')).Redis;
  } catch (cause) {
    throw new Error('@herald/webhooks/redis needs the optional peer dependency ioredis', { cause });
  }
  const client = new Redis(options.url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  return new RedisIdempotencyStore(client, true, options.prefix);
}
