import type { Clock } from '../kernel/clock.js';

interface Timer {
  at: number;
  fn: () => void;
  id: number;
}

/**
 * A clock that only moves when told to. `advance(ms)` fires the timers that fall due, in order.
 * Starts at the real time by default, so signatures still pass a receiver's ±5 min window.
 */
export class ManualClock implements Clock {
  #now: number;
  #timers: Timer[] = [];
  #seq = 0;

  constructor(start: number = Date.now()) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const t = { at: this.#now + Math.max(0, ms), fn, id: ++this.#seq };
    this.#timers.push(t);
    // Already due: fire on the next turn, as a real timer would, without waiting for advance().
    if (ms <= 0) setImmediate(() => this.#fire(t));
    return t.id;
  }

  #fire(t: Timer): void {
    if (!this.#timers.includes(t)) return;
    this.#timers = this.#timers.filter((x) => x !== t);
    t.fn();
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }

  /** Moves time forward, firing every timer due by the new time. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.fn();
    }
    this.#now = target;
  }

  /** Number of pending timers (for assertions about scheduling). */
  get pendingTimers(): number {
    return this.#timers.length;
  }
}
