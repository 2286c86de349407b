import { describe, expect, it } from 'vitest';
import { sortableId } from '../../kernel/sortable-id.js';
import { eventIdBound } from './event-id-bound.js';

describe('eventIdBound', () => {
  it('bounds event ids by time: earlier ids sort below, same-or-later ones above', () => {
    const t = 1_800_000_000_000;
    expect(sortableId('evt_', t - 1) < eventIdBound(t)).toBe(true);
    expect(sortableId('evt_', t) > eventIdBound(t)).toBe(true);
    expect(sortableId('evt_', t + 1) > eventIdBound(t)).toBe(true);
  });
});
