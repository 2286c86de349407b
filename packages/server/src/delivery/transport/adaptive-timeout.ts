import type { AttemptResult } from './send-attempt.js';

/** What a {@link Sender}-like function receives: the URL, the timeout and the delivery. */
interface TimedRequest {
  url: string;
  timeoutMs: number;
  deliveryId?: string | undefined;
}

const SAMPLES = 100;
const MIN_SAMPLES = 20;
const FACTOR = 10;
const MAX_DESTINATIONS = 10_000;
/** Answers between two p95 computations of a destination (the sort stays off most attempts). */
const RECOMPUTE = 10;

/**
 * Per-destination attempt timeouts learned from the destination's own answers. A receiver that
 * hangs on some requests holds a delivery slot for the whole attempt timeout (15 s) each time:
 * with 16 slots and 10 % of requests hanging, a destination drains at ~10 deliveries/s whatever
 * its real speed. Once a destination has answered at least 20 times, Herald waits
 * `10 × p95` of its last 100 answer times (at least `minMs`, at most the configured `maxMs`):
 * an endpoint that answers in 50 ms frees a hung slot after 2 s, one that takes 1 s still gets
 * 10 s. Only answers teach it (any status); timeouts and connection errors do not.
 */
export class AdaptiveTimeouts {
  readonly #maxMs: number;
  readonly #minMs: number;
  readonly #enabled: boolean;
  readonly #byUrl = new Map<string, Destination>();

  constructor(opts: { maxMs: number; minMs?: number; enabled?: boolean }) {
    this.#maxMs = opts.maxMs;
    this.#minMs = Math.min(opts.minMs ?? 2_000, opts.maxMs);
    this.#enabled = opts.enabled ?? true;
  }

  get maxMs(): number {
    return this.#maxMs;
  }

  /**
   * The timeout for the next attempt to `url`, with the p95 it came from when adapted. On the
   * delivery path: a map lookup; the p95 is recomputed only every {@link RECOMPUTE} answers.
   */
  timeoutFor(url: string): { timeoutMs: number; p95Ms?: number } {
    const d = this.#byUrl.get(url);
    if (!this.#enabled || !d || d.count < MIN_SAMPLES) return { timeoutMs: this.#maxMs };
    if (d.p95 === undefined || d.sinceRecompute >= RECOMPUTE) {
      const window = d.ring.slice(0, Math.min(d.count, SAMPLES)).sort((a, b) => a - b);
      d.p95 = window[Math.min(window.length - 1, Math.ceil(window.length * 0.95) - 1)]!;
      d.sinceRecompute = 0;
    }
    const timeoutMs = Math.max(this.#minMs, Math.ceil(d.p95 * FACTOR));
    return timeoutMs >= this.#maxMs ? { timeoutMs: this.#maxMs } : { timeoutMs, p95Ms: d.p95 };
  }

  /** Learns from one attempt's result (answers only). */
  observe(url: string, result: AttemptResult): void {
    if (result.statusCode === undefined) return;
    let d = this.#byUrl.get(url);
    if (!d) {
      if (this.#byUrl.size >= MAX_DESTINATIONS) this.#byUrl.delete(this.#byUrl.keys().next().value!);
      d = { ring: new Array<number>(SAMPLES), count: 0, sinceRecompute: 0, p95: undefined };
      this.#byUrl.set(url, d);
    }
    d.ring[d.count % SAMPLES] = result.durationMs;
    d.count++;
    d.sinceRecompute++;
  }
}

/** A destination's last {@link SAMPLES} answer times (a ring) and the p95 last computed from them. */
interface Destination {
  ring: number[];
  count: number;
  sinceRecompute: number;
  p95: number | undefined;
}

/**
 * Wraps a sender with {@link AdaptiveTimeouts}: each attempt gets its destination's learned
 * timeout; one cut short says so in its error message ("slow endpoint: …", shown in the
 * delivery's attempts and the dashboard) and `onSlow` is called (metrics). The next attempt of
 * that delivery gets the full timeout, so a request that is merely slow still goes through.
 */
export function withAdaptiveTimeout<R extends TimedRequest>(
  send: (req: R) => Promise<AttemptResult>,
  timeouts: AdaptiveTimeouts,
  onSlow?: () => void,
): (req: R) => Promise<AttemptResult> {
  const cutShort = new Set<string>();
  return async (req) => {
    const id = req.deliveryId;
    const full = id !== undefined && cutShort.delete(id);
    const { timeoutMs, p95Ms } = full ? { timeoutMs: timeouts.maxMs, p95Ms: undefined } : timeouts.timeoutFor(req.url);
    const result = await send({ ...req, timeoutMs });
    timeouts.observe(req.url, result);
    if (result.errorCode === 'ETIMEDOUT' && p95Ms !== undefined) {
      if (cutShort.size >= MAX_DESTINATIONS) cutShort.delete(cutShort.values().next().value!);
      if (id !== undefined) cutShort.add(id);
      onSlow?.();
      return {
        ...result,
        errorMessage: `slow endpoint: no answer within ${timeoutMs} ms, ${FACTOR}× the ${Math.round(p95Ms)} ms in which it answered 95% of recent requests (HERALD_ATTEMPT_TIMEOUT_MS=${timeouts.maxMs} is the most Herald waits; the next attempt of this delivery gets all of it)`,
      };
    }
    return result;
  };
}
