import { describe, expect, it } from 'vitest';
import { LiveBus } from './live-bus.js';

describe('LiveBus', () => {
  it('fans a project notice out to that project’s listeners only', () => {
    const bus = new LiveBus();
    const got: string[] = [];
    bus.subscribe('p1', (k) => got.push(`p1:${k}`));
    bus.subscribe('p2', (k) => got.push(`p2:${k}`));
    bus.notify('p1', 'event');
    expect(got).toEqual(['p1:event']);
  });

  it('subscribes its feeds only while a stream is open', () => {
    const bus = new LiveBus();
    let live = 0;
    let starts = 0;
    const unfeed = bus.feed(() => {
      live++;
      starts++;
      return () => live--;
    });
    expect(live).toBe(0); // nobody watching: no subscription to the store
    const a = bus.subscribe('p1', () => {});
    const b = bus.subscribe('p2', () => {});
    expect([live, starts]).toEqual([1, 1]);
    a();
    a(); // twice is harmless
    expect(live).toBe(1);
    b();
    expect(live).toBe(0);
    bus.subscribe('p1', () => {});
    expect([live, starts]).toEqual([1, 2]);
    unfeed();
    expect(live).toBe(0);
  });

  it('starts a feed added while streams are open at once', () => {
    const bus = new LiveBus();
    bus.subscribe('p1', () => {});
    let live = 0;
    bus.feed(() => {
      live++;
      return () => live--;
    });
    expect(live).toBe(1);
  });
});
