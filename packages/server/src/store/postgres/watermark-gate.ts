import type { EventNotice } from '../../model/event-notice.js';

export interface WatermarkGateOptions {
  /** Reads the current watermark (events below it are visible to every reader), at least past `above` if it can. */
  watermark: (above: number) => Promise<number>;
  /** Receives each notice once its event is visible to readers. */
  release: (notice: EventNotice) => void;
  /** First re-check delay while a notice waits (doubles up to `maxDelayMs`). */
  minDelayMs?: number;
  maxDelayMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

/**
 * Holds back event notices until their event is below the watermark (ADR 0012). A notice arrives
 * when its transaction commits, but an older transaction still running can hold the event out of
 * the event log for a moment; announcing it then would send readers to read too early and
 * leave them waiting for their next wake-up. One watermark read at a time serves every waiting
 * notice; while some still wait, the gate reads again after 1, 2, 4 … 100 ms.
 *
 * @example
 * const gate = new WatermarkGate({ watermark: readWatermark, release: (n) => announce(n) });
 * gate.offer({ projectId: 'default', sequence: 4_100_005 });
 */
export class WatermarkGate {
  readonly #o: Required<Omit<WatermarkGateOptions, 'setTimer'>> & Pick<WatermarkGateOptions, 'setTimer'>;
  #waiting: EventNotice[] = [];
  #known = 0;
  #checking = false;
  #delay: number;

  constructor(opts: WatermarkGateOptions) {
    this.#o = { minDelayMs: 1, maxDelayMs: 100, ...opts };
    this.#delay = this.#o.minDelayMs;
  }

  /** Notices waiting for the watermark. */
  get waiting(): number {
    return this.#waiting.length;
  }

  offer(notice: EventNotice): void {
    if (notice.sequence < this.#known) {
      this.#o.release(notice);
      return;
    }
    this.#waiting.push(notice);
    if (!this.#checking) void this.#check();
  }

  async #check(): Promise<void> {
    this.#checking = true;
    try {
      const highest = Math.max(...this.#waiting.map((n) => n.sequence));
      this.#known = Math.max(this.#known, await this.#o.watermark(highest));
    } catch {
      // The database is unreachable: try again after the delay (the listener reconnects too).
    }
    const ready = this.#waiting.filter((n) => n.sequence < this.#known);
    this.#waiting = this.#waiting.filter((n) => n.sequence >= this.#known);
    for (const n of ready) this.#o.release(n);
    if (this.#waiting.length === 0) {
      this.#checking = false;
      this.#delay = this.#o.minDelayMs;
      return;
    }
    const ms = ready.length > 0 ? this.#o.minDelayMs : this.#delay;
    this.#delay = Math.min(this.#delay * 2, this.#o.maxDelayMs);
    const again = () => void this.#check();
    if (this.#o.setTimer) this.#o.setTimer(again, ms);
    else setTimeout(again, ms).unref();
  }
}
