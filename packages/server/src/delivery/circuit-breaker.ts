import type { PausedDestination } from '../ports/delivery-queue.js';

export interface CircuitBreakerOptions {
  /** Consecutive unreachable attempts that open the circuit (0 turns the breaker off). */
  threshold?: number;
  /** First pause; each failed probe doubles it. */
  baseCooldownMs?: number;
  maxCooldownMs?: number;
  /** How long the single probe of a half-open circuit may take before others are let through. */
  probeWindowMs?: number;
  /** While the probe is out, others are looked at again this often (so a good probe frees them fast). */
  probeRecheckMs?: number;
  /** Destinations remembered at most (the oldest failing streak is forgotten beyond it). */
  maxEntries?: number;
}

interface Streak {
  failures: number;
  /** Times the circuit opened in this streak (the cooldown doubles with each). */
  trips: number;
  openUntil: number;
  /** While a probe is out: others wait until then. */
  probeUntil: number;
}

/**
 * A per-destination circuit breaker for endpoints that cannot be reached at all: connection
 * refused, timeouts, resets, DNS failures — attempts that got no HTTP status back. An HTTP answer
 * of any status (even 500) means the endpoint is there and closes the circuit; the retry policy
 * handles those.
 *
 * After `threshold` unreachable attempts in a row the circuit opens: the engine stops sending to
 * that destination, and its claim parks the destination until the end of the pause in one
 * statement (`paused`, ClaimInput.paused) without leasing or rewriting any of its deliveries (no
 * attempt is burnt, no write per delivery, no socket held open until a time-out).
 * When the pause ends, one probe goes out; a probe that fails again doubles the pause (5 s, 10 s,
 * 20 s, then 30 s by default), a probe that gets any HTTP answer closes the circuit. The cap
 * bounds how long an endpoint that came back waits for its backlog: at most 30 s, for the
 * price of one probe per 30 s to an endpoint that stays dead.
 *
 * State is per process and in memory: after a restart, or in another worker process, it is
 * learnt again from the next few attempts. Deliveries keep their 24 h deadline: a delivery is
 * never deferred past it, so the last attempt is still made.
 */
export class CircuitBreaker {
  readonly #streaks = new Map<string, Streak>();
  readonly #threshold: number;
  readonly #base: number;
  readonly #max: number;
  readonly #probeWindow: number;
  readonly #probeRecheck: number;
  readonly #maxEntries: number;

  constructor(opts: CircuitBreakerOptions = {}) {
    this.#threshold = opts.threshold ?? 5;
    this.#base = opts.baseCooldownMs ?? 5_000;
    this.#max = opts.maxCooldownMs ?? 30_000;
    this.#probeWindow = opts.probeWindowMs ?? 15_000;
    this.#probeRecheck = opts.probeRecheckMs ?? 1_000;
    this.#maxEntries = opts.maxEntries ?? 100_000;
  }

  /**
   * Undefined when an attempt to `destination` may go out now; otherwise the instant until which
   * it should wait. Letting an attempt through a half-open circuit makes it the probe.
   */
  holdUntil(destination: string, now: number): number | undefined {
    const s = this.#streaks.get(destination);
    if (!s || s.failures < this.#threshold) return undefined;
    if (now < s.openUntil) return s.openUntil;
    if (now < s.probeUntil) return Math.min(s.probeUntil, now + this.#probeRecheck);
    s.probeUntil = now + this.#probeWindow;
    return undefined;
  }

  /**
   * Records an attempt's result. Returns the pause when this result opened (or re-opened) the
   * circuit, so the caller can log it.
   */
  record(destination: string, reachable: boolean, now: number): number | undefined {
    if (this.#threshold <= 0) return undefined;
    if (reachable) {
      this.#streaks.delete(destination);
      return undefined;
    }
    let s = this.#streaks.get(destination);
    if (!s) {
      s = { failures: 0, trips: 0, openUntil: 0, probeUntil: 0 };
      this.#streaks.set(destination, s);
      if (this.#streaks.size > this.#maxEntries) this.#streaks.delete(this.#streaks.keys().next().value!);
    }
    s.failures++;
    if (s.failures < this.#threshold || now < s.openUntil) return undefined;
    const pause = Math.min(this.#base * 2 ** s.trips, this.#max);
    s.trips++;
    s.openUntil = now + pause;
    s.probeUntil = 0;
    return pause;
  }

  /**
   * Every destination that must not be attempted at `now`, with the instant until which
   * (what `holdUntil` would answer, without making anyone the probe): the engine hands this to the
   * claim, which parks those destinations in one statement instead of leasing their deliveries.
   */
  paused(now: number): PausedDestination[] {
    const out: PausedDestination[] = [];
    for (const [destinationId, s] of this.#streaks) {
      if (s.failures < this.#threshold) continue;
      if (now < s.openUntil) out.push({ destinationId, until: s.openUntil });
      else if (now < s.probeUntil) out.push({ destinationId, until: Math.min(s.probeUntil, now + this.#probeRecheck) });
    }
    return out;
  }

  /** Destinations whose pause is over and whose next attempt would be the probe. */
  halfOpen(now: number): string[] {
    const out: string[] = [];
    for (const [destinationId, s] of this.#streaks)
      if (s.failures >= this.#threshold && now >= s.openUntil && now >= s.probeUntil) out.push(destinationId);
    return out;
  }

  /** Whether the circuit of `destination` is open or half-open (for metrics and tests). */
  isOpen(destination: string): boolean {
    const s = this.#streaks.get(destination);
    return s !== undefined && s.failures >= this.#threshold;
  }
}
