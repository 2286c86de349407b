import type { WebhookState } from '@herald/contracts';
import type { CompleteAttemptInput, EmitInput, EpochMs } from '../model/records.js';

/** What the store read (and, on PostgreSQL, locked) of a webhook, in the attempt's transaction. */
export interface WebhookHealthFacts {
  id: string;
  projectId: string;
  state: WebhookState;
  createdAt: EpochMs;
  lastSuccessAt: EpochMs | null;
}

/** Disable the webhook, for this reason, and emit this `webhook.disabled` event with it. */
export interface WebhookDisable {
  reason: string;
  event: EmitInput;
}

/**
 * The endpoint-health rule (delivery/endpoint-health.ts), injected into the store by the
 * composition root. The store only reads the facts and applies the decision, in the same
 * transaction as the attempt: the webhook's state, the cancellation of its pending deliveries and
 * the `webhook.disabled` event with its deliveries commit together with the attempt, or not at all.
 */
export interface EndpointHealthPolicy {
  /** Whether this completion can disable its webhook at all (before any row is read or locked). */
  mayDisable(input: CompleteAttemptInput): boolean;
  /** The decision for a completion `mayDisable` let through; undefined leaves the webhook as it is. */
  decide(input: CompleteAttemptInput, webhook: WebhookHealthFacts): WebhookDisable | undefined;
}
