import { describe, expect, it } from 'vitest';
import type { EventNotice } from '../../model/event-notice.js';
import { WatermarkGate } from './watermark-gate.js';

function harness(marks: number[]) {
  const released: EventNotice[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  let reads = 0;
  const gate = new WatermarkGate({
    watermark: () => Promise.resolve(marks[Math.min(reads++, marks.length - 1)]!),
    release: (n) => released.push(n),
    setTimer: (fn, ms) => timers.push({ fn, ms }),
  });
  const settle = () => new Promise((r) => setImmediate(r));
  return { gate, released, timers, settle, reads: () => reads };
}

const notice = (sequence: number): EventNotice => ({ projectId: 'p', sequence });

describe('WatermarkGate', () => {
  it('releases a notice as soon as its event is below the watermark', async () => {
    const h = harness([100]);
    h.gate.offer(notice(50));
    await h.settle();
    expect(h.released).toEqual([notice(50)]);
    // Below the watermark already known: released at once, without another read.
    h.gate.offer(notice(60));
    expect(h.released).toEqual([notice(50), notice(60)]);
    expect(h.reads()).toBe(1);
  });

  it('holds a notice while an older transaction runs, re-reading with a growing delay', async () => {
    const h = harness([40, 40, 40, 200]);
    h.gate.offer(notice(50));
    await h.settle();
    expect(h.released).toEqual([]);
    expect(h.timers.map((t) => t.ms)).toEqual([1]);
    h.timers.shift()!.fn();
    await h.settle();
    h.timers.shift()!.fn();
    await h.settle();
    expect(h.timers.map((t) => t.ms)).toEqual([4]);
    h.timers.shift()!.fn();
    await h.settle();
    expect(h.released).toEqual([notice(50)]);
    expect(h.timers).toEqual([]);
  });

  it('shares one read among the notices that arrive meanwhile, and keeps the ones still above it', async () => {
    const h = harness([70, 500]);
    h.gate.offer(notice(50));
    h.gate.offer(notice(60));
    h.gate.offer(notice(80));
    await h.settle();
    expect(h.reads()).toBe(1);
    expect(h.released.map((n) => n.sequence)).toEqual([50, 60]);
    expect(h.gate.waiting).toBe(1);
    h.timers.shift()!.fn();
    await h.settle();
    expect(h.released.map((n) => n.sequence)).toEqual([50, 60, 80]);
  });

  it('keeps notices when the read fails, and tries again', async () => {
    const released: EventNotice[] = [];
    const timers: (() => void)[] = [];
    let fail = true;
    const gate = new WatermarkGate({
      watermark: () => (fail ? Promise.reject(new Error('down')) : Promise.resolve(100)),
      release: (n) => released.push(n),
      setTimer: (fn) => timers.push(fn),
    });
    gate.offer(notice(10));
    await new Promise((r) => setImmediate(r));
    expect(released).toEqual([]);
    fail = false;
    timers.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(released).toEqual([notice(10)]);
  });
});
