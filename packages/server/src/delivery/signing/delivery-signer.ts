import type { ClaimedDelivery } from '../../model/records.js';
import type { AttemptSigner } from './attempt-signer.js';

/**
 * The engine's signer: static-webhook deliveries go to `webhook` (Standard Webhooks `v1`, HMAC),
 * dynamic ones to `dynamic` (`v1a` or JWT).
 *
 * @example
 * const signer = createDeliverySigner({ webhook: createWebhookSigner(deps), dynamic: createDynamicSigner(deps) });
 */
export function createDeliverySigner(signers: { webhook: AttemptSigner; dynamic: AttemptSigner }): AttemptSigner {
  return {
    sign(d: ClaimedDelivery, timestampSeconds: number) {
      return d.destType === 'dynamic'
        ? signers.dynamic.sign(d, timestampSeconds)
        : signers.webhook.sign(d, timestampSeconds);
    },
  };
}
