import { describe, expect, it } from 'vitest';
import { eventIdBound, sortableId } from './sortable-id.js';

describe('sortableId', () => {
  it('has the prefix, no dots, and a fixed length', () => {
    const id = sortableId('msg_', 1_700_000_000_000);
    expect(id).toMatch(/^msg_[0-9a-z]{26}$/);
    expect(id).not.toContain('.');
  });

  it('sorts by time', () => {
    const a = sortableId('dlv_', 1_000);
    const b = sortableId('dlv_', 2_000);
    const c = sortableId('dlv_', 1_700_000_000_000);
    expect([c, a, b].sort()).toEqual([a, b, c]);
  });

  it('is unique', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => sortableId('evt_', 5)));
    expect(ids.size).toBe(2000);
  });

  it('sorts in the order made within one millisecond, whatever the prefix', () => {
    const ids = Array.from({ length: 500 }, (_, i) => sortableId(i % 2 ? 'whk_' : 'dlv_', 7_000).slice(4));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(500);
  });

  it('keeps the time part of an earlier instant (a cutoff), never the last id’s', () => {
    sortableId('evt_', 9_000_000);
    const earlier = sortableId('evt_', 1_000);
    expect(earlier.slice(0, 14)).toBe(sortableId('evt_', 1_000).slice(0, 14));
    expect(earlier < sortableId('evt_', 9_000_000)).toBe(true);
  });
});

describe('eventIdBound', () => {
  it('bounds event ids by time: earlier ids sort below, same-or-later ones above', () => {
    const t = 1_800_000_000_000;
    expect(sortableId('evt_', t - 1) < eventIdBound(t)).toBe(true);
    expect(sortableId('evt_', t) > eventIdBound(t)).toBe(true);
    expect(sortableId('evt_', t + 1) > eventIdBound(t)).toBe(true);
  });
});
