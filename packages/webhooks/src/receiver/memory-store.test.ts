import { describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from './memory-store.js';

describe('MemoryIdempotencyStore', () => {
  it('claims once per key until the TTL passes (injected clock)', async () => {
    let now = 0;
    const store = new MemoryIdempotencyStore({ now: () => now });
    expect(await store.claim('a', 10)).toBe(true);
    expect(await store.claim('a', 10)).toBe(false);
    now = 9_999;
    expect(await store.claim('a', 10)).toBe(false);
    now = 10_000;
    expect(await store.claim('a', 10)).toBe(true);
  });

  it('release makes the key claimable again', async () => {
    const store = new MemoryIdempotencyStore();
    expect(await store.claim('a', 60)).toBe(true);
    await store.release('a');
    expect(await store.claim('a', 60)).toBe(true);
  });

  it('is bounded: the oldest claims are evicted first', async () => {
    const store = new MemoryIdempotencyStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd']) expect(await store.claim(key, 60)).toBe(true);
    expect(store.size).toBe(3);
    expect(await store.claim('b', 60)).toBe(false);
    expect(await store.claim('a', 60)).toBe(true); // evicted, so claimable again
  });

  it('drops expired entries while evicting', async () => {
    let now = 0;
    const store = new MemoryIdempotencyStore({ now: () => now, maxEntries: 10 });
    await store.claim('a', 1);
    await store.claim('b', 1);
    now = 5_000;
    await store.claim('c', 1);
    expect(store.size).toBe(1);
  });
});
