import { describe, expect, it } from 'vitest';
import { LruMap } from './lru-map.js';

describe('LruMap', () => {
  it('drops the least recently used entry past its bound', () => {
    const m = new LruMap<string, number>(2);
    m.set('a', 1).set('b', 2);
    expect(m.get('a')).toBe(1); // a is now the most recent
    m.set('c', 3);
    expect(m.has('b')).toBe(false);
    expect([...m.entries()]).toEqual([
      ['a', 1],
      ['c', 3],
    ]);
    expect(m.size).toBe(2);
  });

  it('stays at its bound however many keys pass through', () => {
    const m = new LruMap<number, number>(100);
    for (let i = 0; i < 10_000; i++) m.set(i, i);
    expect(m.size).toBe(100);
    expect(m.get(9_999)).toBe(9_999);
    expect(m.get(0)).toBeUndefined();
  });

  it('refuses a bound below 1', () => {
    expect(() => new LruMap(0)).toThrow(/≥ 1/);
  });
});
