import type { Clock } from '../kernel/clock.js';
import { ApiError } from './api-error.js';

/** How long to wait before retrying a write refused for a full disk. */
export const DISK_FULL_RETRY_AFTER_SECONDS = 30;

/**
 * What one Herald's HTTP layer knows of a full disk: the answer to a write refused for it
 * (`503 UNAVAILABLE` with `Retry-After`, saying so: nothing was written, the write can be retried
 * as is), and whether readiness should fail (for {@link DISK_FULL_RETRY_AFTER_SECONDS} after one).
 * One per app, on the app's clock.
 */
export class DiskFullSignal {
  readonly #clock: Pick<Clock, 'now'>;
  #lastAt = 0;

  constructor(clock: Pick<Clock, 'now'>) {
    this.#clock = clock;
  }

  /** Records the refusal and returns its answer. */
  refuse(): ApiError {
    this.#lastAt = this.#clock.now();
    return new ApiError(
      'UNAVAILABLE',
      `The disk of the database is full: nothing was written. Free space (or grow the volume) and retry in ${DISK_FULL_RETRY_AFTER_SECONDS} s`,
      503,
      { retryAfterSeconds: DISK_FULL_RETRY_AFTER_SECONDS },
    );
  }

  /** True within {@link DISK_FULL_RETRY_AFTER_SECONDS} of a refused write. */
  recently(): boolean {
    return this.#lastAt > 0 && this.#clock.now() - this.#lastAt < DISK_FULL_RETRY_AFTER_SECONDS * 1000;
  }
}
