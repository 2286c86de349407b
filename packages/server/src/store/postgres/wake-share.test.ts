import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WakeShare } from './wake-share.js';

const payloads = Array.from({ length: 400 }, () => `due:${randomBytes(6).toString('hex')}`);

describe('WakeShare', () => {
  it('gives every notice to exactly one of the engines, about evenly', () => {
    const members = [4101, 977, 23050];
    const shares = members.map((pid) => {
      const s = new WakeShare();
      s.setSelf(pid);
      s.update(members);
      return s;
    });
    const counts = shares.map(() => 0);
    for (const p of payloads) {
      const owners = shares.flatMap((s, i) => (s.mine(p) ? [i] : []));
      expect(owners).toHaveLength(1);
      counts[owners[0]!]!++;
    }
    for (const n of counts) expect(n).toBeGreaterThan(80); // 400 / 3 ≈ 133 each
  });

  it('answers every notice while it is alone, does not know its place, or cannot read the payload', () => {
    const alone = new WakeShare();
    alone.setSelf(7);
    alone.update([7]);
    expect(payloads.every((p) => alone.mine(p))).toBe(true);

    const unknown = new WakeShare();
    unknown.update([1, 2, 3]);
    expect(payloads.every((p) => unknown.mine(p))).toBe(true);

    const notListed = new WakeShare();
    notListed.setSelf(9);
    notListed.update([1, 2, 3]);
    expect(payloads.every((p) => notListed.mine(p))).toBe(true);

    const member = new WakeShare();
    member.setSelf(2);
    member.update([1, 2]);
    expect(member.mine('')).toBe(true);
    expect(member.mine('released')).toBe(true);
  });

  it('says when a read of the members changes whose notices are whose', () => {
    const s = new WakeShare();
    s.setSelf(5);
    expect(s.update([5, 3])).toBe(true);
    expect(s.members).toEqual([3, 5]);
    expect(s.update([3, 5])).toBe(false);
    expect(s.update([3, 5, 8])).toBe(true);
    expect(s.update([5, 8])).toBe(true);
    expect(s.update([5, 8])).toBe(false);
  });
});
