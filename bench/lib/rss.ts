/** Samples this process's resident set size on an interval; `peak` is the largest seen. */
export class RssSampler {
  peak = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs = 100) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): number {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
    return rss;
  }

  stop(): number {
    clearInterval(this.#timer);
    return this.sample() > this.peak ? this.sample() : this.peak;
  }
}

export const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
