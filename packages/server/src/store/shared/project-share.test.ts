import { describe, expect, it } from 'vitest';
import { ClaimShare } from './project-share.js';

describe('ClaimShare', () => {
  it('gives each project what is left of its share, counting what this claim took', () => {
    const share = new ClaimShare({
      max: 4,
      inFlight: new Map([
        ['a', 3],
        ['b', 4],
      ]),
    });
    expect(share.full()).toEqual(['b']);
    expect(share.room('a')).toBe(1);
    expect(share.room('c')).toBe(4);
    share.take('c', 3);
    expect(share.room('c')).toBe(1);
    share.take('a', 1);
    expect(share.room('a')).toBe(0);
    expect(share.room('b')).toBe(0);
  });

  it('caps a half-open destination at one lease (the probe), others at the usual cap', () => {
    const share = new ClaimShare(undefined, ['wh:dead']);
    expect(share.cap('wh:dead', 16)).toBe(1);
    expect(share.cap('wh:live', 16)).toBe(16);
  });

  it('without a share, leaves every project unlimited', () => {
    const share = new ClaimShare(undefined);
    expect(share.full()).toEqual([]);
    expect(share.room('a')).toBe(Infinity);
    expect(share.roomForAny()).toBe(Infinity);
  });

  it('bounds a whole claim by the least room of a project below its share', () => {
    const inFlight = new Map([
      ['a', 5],
      ['b', 8], // at its share: left out of the claim, not a bound
      ['c', 2],
    ]);
    expect(new ClaimShare({ max: 8, inFlight }).roomForAny()).toBe(3);
    expect(new ClaimShare({ max: 8, inFlight: new Map() }).roomForAny()).toBe(8);
  });
});
