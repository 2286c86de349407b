/**
 * `@herald/webhooks/redis`: an idempotency store in Redis (Node, `ioredis`).
 * @module
 */

export { createRedisIdempotencyStore, RedisIdempotencyStore } from './redis-store.js';
export type { RedisIdempotencyStoreOptions, RedisLike } from './redis-store.js';
