/**
 * `webhook-timestamp` parsing and the replay window.
 * @internal
 */

import { WebhookVerificationError } from '../errors.js';

/** Default tolerance, in seconds, in both directions (every reference library uses 5 minutes). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Parses `webhook-timestamp` (integer Unix seconds, digits only: stricter than `parseInt`) and
 * checks it against `nowMs` ± `toleranceSeconds`. Returns the timestamp in seconds.
 */
export function checkTimestamp(header: string, nowMs: number, toleranceSeconds: number): number {
  if (header.length === 0 || header.length > 15) throw new WebhookVerificationError('ERR_INVALID_HEADERS');
  for (let i = 0; i < header.length; i++) {
    const c = header.charCodeAt(i);
    if (c < 48 || c > 57) throw new WebhookVerificationError('ERR_INVALID_HEADERS');
  }
  const timestamp = Number(header);
  const now = Math.floor(nowMs / 1000);
  if (now - timestamp > toleranceSeconds) throw new WebhookVerificationError('ERR_TIMESTAMP_TOO_OLD');
  if (timestamp - now > toleranceSeconds) throw new WebhookVerificationError('ERR_TIMESTAMP_TOO_NEW');
  return timestamp;
}

/** Validates a tolerance option (finite, ≥ 0). */
export function checkTolerance(tolerance: number): number {
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new WebhookVerificationError('ERR_INVALID_OPTIONS', 'tolerance must be a finite number of seconds ≥ 0');
  }
  return tolerance;
}
