import { describe, expect, it } from 'vitest';
import { sortableId } from './sortable-id.js';

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

  it('is unique, across refills of its random pool (256 ids each)', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => sortableId('evt_', 5)));
    expect(ids.size).toBe(2000);
  });
});
