import type { AttemptClass } from './transport/classify.js';

/** How long a delivery keeps being retried: 24 h after it was created (before time scaling). */
export const DELIVERY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Delays after attempts 1…6 (attempt 1 runs immediately at creation): 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h. After attempt 7 the only remaining attempt is the final one at the deadline.
 */
export const RETRY_DELAYS_MS: readonly number[] = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000];

/** Each delay is multiplied by a factor in [1 − JITTER, 1 + JITTER). */
export const RETRY_JITTER = 0.2;

/** Input of {@link nextAttempt}. All times are epoch milliseconds. */
export interface RetryInput {
  /** Classification of the attempt just made. */
  outcome: AttemptClass;
  /** Attempts made so far, including the one just made (≥ 1). */
  attemptsMade: number;
  /** When the attempt finished (injected clock). */
  now: number;
  /** When the delivery was created (its first attempt's due time). */
  createdAt: number;
  /** `createdAt + DELIVERY_WINDOW_MS / timeScale`: no attempt is ever scheduled after it. */
  deadline: number;
  /** Parsed `Retry-After` of the response, in ms; honoured only for `throttled` outcomes. */
  retryAfterMs?: number | undefined;
  /** ≥ 1; divides every delay, including `retryAfterMs` (`HERALD_TIME_SCALE`). */
  timeScale: number;
  /** Uniform in [0, 1), for jitter. Inject a constant in tests (0.5 = no jitter). */
  random: () => number;
}

/** What to do with the delivery after an attempt. */
export type RetryDecision =
  { kind: 'succeeded' } | { kind: 'gone' } | { kind: 'retry'; at: number } | { kind: 'exhausted' };

/**
 * The delivery policy, as a pure function: given the attempt just made, decide whether the delivery
 * is done, and if not, when to try next.
 *
 * Schedule: immediately, +5 s, +5 min, +30 min, +2 h, +5 h, +10 h (each after the previous attempt,
 * ±20 % jitter, divided by `timeScale`), then one final attempt exactly at the deadline. A time at or
 * past the deadline is clamped to the deadline; an attempt that was itself made at or after the
 * deadline ends the delivery (`exhausted`). On `throttled` with `retryAfterMs`, the next attempt is no
 * earlier than `now + retryAfterMs / timeScale` (still capped at the deadline).
 *
 * @throws RangeError for `timeScale < 1` or `attemptsMade < 1`.
 * @example
 * nextAttempt({ outcome: 'failure', attemptsMade: 1, now, createdAt: now, deadline: now + DELIVERY_WINDOW_MS,
 *               timeScale: 1, random: Math.random }) // { kind: 'retry', at: now + ~5_000 }
 */
export function nextAttempt(input: RetryInput): RetryDecision {
  const { outcome, attemptsMade, now, deadline, retryAfterMs, timeScale } = input;
  if (!(timeScale >= 1) || !Number.isFinite(timeScale)) {
    throw new RangeError(`nextAttempt: timeScale must be a finite number ≥ 1, got ${timeScale}`);
  }
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1) {
    throw new RangeError(`nextAttempt: attemptsMade must be an integer ≥ 1, got ${attemptsMade}`);
  }

  switch (outcome) {
    case 'success':
      return { kind: 'succeeded' };
    case 'gone':
      return { kind: 'gone' };
    case 'throttled':
    case 'failure':
      break;
  }

  if (now >= deadline) return { kind: 'exhausted' };

  const baseDelay = RETRY_DELAYS_MS[attemptsMade - 1];
  let at = deadline;
  if (baseDelay !== undefined) {
    const factor = 1 - RETRY_JITTER + 2 * RETRY_JITTER * input.random();
    at = now + Math.round((baseDelay * factor) / timeScale);
  }
  if (outcome === 'throttled' && retryAfterMs !== undefined && retryAfterMs > 0) {
    at = Math.max(at, now + Math.ceil(retryAfterMs / timeScale));
  }
  return { kind: 'retry', at: Math.min(at, deadline) };
}
