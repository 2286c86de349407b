import { ApiError } from './api-error.js';

/** How long to wait before retrying a write refused for a full disk. */
export const DISK_FULL_RETRY_AFTER_SECONDS = 30;

let lastDiskFullAt = 0;

/**
 * Whether `err` says the database's disk is full: SQLite `SQLITE_FULL`, PostgreSQL `53100`
 * (disk_full), or `ENOSPC`. Follows `cause`.
 */
export function isDiskFull(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const { code, cause } = err as { code?: unknown; cause?: unknown };
  if (code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC') return true;
  return isDiskFull(cause, depth + 1);
}

/**
 * The answer to a write refused for a full disk: `503 UNAVAILABLE` with `Retry-After`, saying
 * so (nothing was written; the write can be retried as is). Readiness fails for the next
 * {@link DISK_FULL_RETRY_AFTER_SECONDS} (see {@link diskRecentlyFull}).
 */
export function diskFullError(now = Date.now()): ApiError {
  lastDiskFullAt = now;
  return new ApiError(
    'UNAVAILABLE',
    `The disk of the database is full: nothing was written. Free space (or grow the volume) and retry in ${DISK_FULL_RETRY_AFTER_SECONDS} s`,
    503,
    { retryAfterSeconds: DISK_FULL_RETRY_AFTER_SECONDS },
  );
}

/** True within {@link DISK_FULL_RETRY_AFTER_SECONDS} of a write refused for a full disk. */
export function diskRecentlyFull(now = Date.now()): boolean {
  return lastDiskFullAt > 0 && now - lastDiskFullAt < DISK_FULL_RETRY_AFTER_SECONDS * 1000;
}
