/**
 * RedisIdempotencyStore against the real Redis at 127.0.0.1:6379 (ioredis). Skipped, with the
 * reason printed, when Redis is unreachable.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createRedisIdempotencyStore, type RedisIdempotencyStore } from '@herald/webhooks/redis';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

const available = await reachable(REDIS_URL);
if (!available) console.warn(`[redis-store.test] skipped: Redis is not reachable at ${REDIS_URL}`);

describe.skipIf(!available)('RedisIdempotencyStore (real Redis)', () => {
  const prefix = `herald:test:${process.pid}:${Date.now()}:`;
  let store: RedisIdempotencyStore;
  let other: RedisIdempotencyStore;
  let client: Redis;

  beforeAll(async () => {
    store = await createRedisIdempotencyStore({ url: REDIS_URL, prefix });
    client = new Redis(REDIS_URL);
    other = await createRedisIdempotencyStore({ client, prefix });
  });

  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await store.close();
    await other.close(); // not owned: leaves the client open
    await client.quit();
  });

  it('claims atomically once across two connections', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).claim('msg_1', 60)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('sets a TTL on the key and release deletes it', async () => {
    expect(await store.claim('msg_ttl', 30)).toBe(true);
    const ttl = await client.pttl(`${prefix}msg_ttl`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    await store.release('msg_ttl');
    expect(await client.exists(`${prefix}msg_ttl`)).toBe(0);
    expect(await other.claim('msg_ttl', 30)).toBe(true);
  });

  it('an expired key can be claimed again', async () => {
    expect(await store.claim('msg_exp', 60)).toBe(true);
    await client.pexpireat(`${prefix}msg_exp`, Date.now() - 1_000); // expire now, server-side, instead of sleeping
    expect(await store.claim('msg_exp', 60)).toBe(true);
  });
});
