/**
 * The interface the receiver helper needs from a verifier.
 * @module
 */

import type { VerifiedDelivery } from './verified-delivery.js';
import type { WebhookHeaders, WebhookPayload } from './webhook-input.js';

/**
 * Anything that turns a raw body and headers into a {@link VerifiedDelivery} or throws a
 * `WebhookVerificationError`. Implemented by {@link Webhook} (synchronous, `v1`) and
 * {@link WebhookVerifier} (asynchronous, `v1`, `v1a`, JWT).
 *
 * @example
 * ```ts
 * const verifier: Verifier = new Webhook(process.env.WEBHOOK_SECRET!);
 * ```
 */
export interface Verifier {
  verifyDelivery(payload: WebhookPayload, headers: WebhookHeaders): VerifiedDelivery | Promise<VerifiedDelivery>;
}
