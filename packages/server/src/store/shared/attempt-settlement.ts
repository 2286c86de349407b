import type { CompleteAttemptInput } from '../../model/records.js';
import type { DeliveryRow } from '../rows/rows.js';

/** What recording an attempt writes to its delivery row, the same on both dialects. */
export interface AttemptSettlement {
  /** This process still holds the lease: the status moves on and the destination's in-flight count drops. */
  owned: boolean;
  /** The status moves on: owned, or a success of a delivery waiting for its next attempt. */
  settles: boolean;
  /** The attempt count after this attempt (an attempt never lowers it). */
  number: number;
  nextAt: number | null;
  reason: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
}

/**
 * Decides how an attempt moves its delivery on, from the row as it is in the transaction. If
 * this process lost the lease meanwhile (the reaper returned it), the attempt is still recorded,
 * and a success still settles it.
 */
export function attemptSettlement(
  current: Pick<DeliveryRow, 'status' | 'lease_owner' | 'attempt_count' | 'last_status_code' | 'last_error'>,
  input: CompleteAttemptInput,
): AttemptSettlement {
  const { delivery, attempt, outcome } = input;
  const owned = current.status === 'in_flight' && current.lease_owner === delivery.leaseOwner;
  return {
    owned,
    settles: owned || (outcome.status === 'succeeded' && current.status === 'pending'),
    number: attempt ? Math.max(attempt.number, current.attempt_count + 1) : current.attempt_count,
    nextAt: outcome.status === 'pending' ? outcome.nextAttemptAt : null,
    reason: outcome.status === 'failed' || outcome.status === 'cancelled' ? outcome.reason : null,
    lastStatusCode: attempt ? attempt.statusCode : current.last_status_code,
    lastError: attempt?.errorCode ? `${attempt.errorCode}: ${attempt.errorMessage ?? ''}`.trim() : current.last_error,
  };
}
