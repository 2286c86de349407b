/** Samples this process's memory on an interval; `peak` is the largest RSS seen, `atPeak` its breakdown. */
export class RssSampler {
  peak = 0;
  atPeak: NodeJS.MemoryUsage = process.memoryUsage();
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs = 100) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): number {
    const m = process.memoryUsage();
    if (m.rss > this.peak) {
      this.peak = m.rss;
      this.atPeak = m;
    }
    return m.rss;
  }

  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    return this.peak;
  }
}

export const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
export const mb = (bytes: number): number => Math.round(bytes / 1e6);
