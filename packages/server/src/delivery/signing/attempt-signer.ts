import type { ClaimedDelivery } from '../../model/records.js';

/**
 * Produces the Standard Webhooks headers for one attempt of a delivery. Called afresh for every
 * attempt: a new `webhook-timestamp` and new signatures, the same `webhook-id` and body.
 */
export interface AttemptSigner {
  sign(delivery: ClaimedDelivery, timestampSeconds: number): Promise<Record<string, string>>;
}
