/**
 * A token bucket: `ratePerSecond` tokens a second, holding at most `burst` (default: one second's
 * worth). Time comes from the caller (`now`, epoch ms), so a test drives it with a manual clock.
 *
 * @example
 * const b = new TokenBucket(10, clock.now());
 * const wait = b.take(3, clock.now()); // 0: taken; > 0: ms until 3 tokens are there (nothing taken)
 */
export class TokenBucket {
  /** Thousandths of a token: whole numbers for whole-number rates and clocks (no float drift). */
  #milli: number;
  #at: number;

  constructor(
    readonly ratePerSecond: number,
    now: number,
    readonly burst: number = ratePerSecond,
  ) {
    this.#milli = burst * 1000;
    this.#at = now;
  }

  /** Tokens available at `now`. */
  available(now: number): number {
    this.#refill(now);
    return this.#milli / 1000;
  }

  /**
   * Takes `n` tokens: returns 0 when taken, or else the milliseconds until `n` will be there
   * (nothing is taken). More than `burst` at once can never fit: the wait is then Infinity.
   */
  take(n: number, now: number): number {
    this.#refill(now);
    if (n * 1000 <= this.#milli) {
      this.#milli -= n * 1000;
      return 0;
    }
    if (n > this.burst) return Infinity;
    return Math.ceil((n * 1000 - this.#milli) / this.ratePerSecond);
  }

  #refill(now: number): void {
    if (now > this.#at) {
      this.#milli = Math.min(this.burst * 1000, this.#milli + (now - this.#at) * this.ratePerSecond);
      this.#at = now;
    }
  }
}
