import { describe, expect, it } from 'vitest';
import { SubscriptionCache, subscriptionCacheFor, type SubscriptionRow } from './subscription-cache.js';

const row = (generation: number, id: string, events: string[]): SubscriptionRow => ({
  generation,
  id,
  uri: `http://127.0.0.1:9/${id}`,
  subscribed_events: JSON.stringify(events),
});

describe('SubscriptionCache', () => {
  it('answers from memory only while the generation is the one it was filled at', () => {
    const cache = new SubscriptionCache();
    expect(cache.lookup('p1', 7, 'a')).toBeUndefined();
    const filled = cache.fill('p1', [row(7, 'w1', ['a', 'b']), row(7, 'w2', ['b']), row(7, 'w3', ['a', 'a'])], 'a');
    expect(filled.map((w) => w.webhookId)).toEqual(['w1', 'w3']);
    expect(cache.lookup('p1', 7, 'b')?.map((w) => w.webhookId)).toEqual(['w1', 'w2']);
    expect(cache.lookup('p1', 7, 'c')).toEqual([]);
    expect(cache.lookup('p1', 8, 'a')).toBeUndefined();
    expect(cache.lookup('p2', 7, 'a')).toBeUndefined();
  });

  it('remembers a project without webhooks (one row of nulls)', () => {
    const cache = new SubscriptionCache();
    expect(cache.fill('p1', [{ generation: 0, id: null, uri: null, subscribed_events: null }], 'a')).toEqual([]);
    expect(cache.lookup('p1', 0, 'a')).toEqual([]);
  });

  it('drops the least recently used project beyond its bound', () => {
    const cache = new SubscriptionCache(2);
    cache.fill('p1', [row(1, 'w1', ['a'])], 'a');
    cache.fill('p2', [row(1, 'w2', ['a'])], 'a');
    cache.lookup('p1', 1, 'a'); // p1 is now the most recent
    cache.fill('p3', [row(1, 'w3', ['a'])], 'a');
    expect(cache.size).toBe(2);
    expect(cache.lookup('p2', 1, 'a')).toBeUndefined();
    expect(cache.lookup('p1', 1, 'a')).toHaveLength(1);
  });

  it('keeps one cache per database object', () => {
    const a = {};
    expect(subscriptionCacheFor(a)).toBe(subscriptionCacheFor(a));
    expect(subscriptionCacheFor(a)).not.toBe(subscriptionCacheFor({}));
  });
});
