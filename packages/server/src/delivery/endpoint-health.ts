import { buildEvent, DELIVERY_WINDOW_HOURS } from '../model/build-event.js';
import type { CompleteAttemptInput } from '../model/records.js';
import type { EndpointHealthPolicy, WebhookDisable, WebhookHealthFacts } from '../ports/endpoint-health.js';

export interface EndpointHealthOptions {
  /** HERALD_TIME_SCALE: divides the 24 h window (and the deadline of the `webhook.disabled` event). */
  timeScale: number;
}

/** Why a static webhook is disabled, word for word as its `webhook.disabled` event says. */
export const DISABLE_REASONS = {
  gone: 'endpoint answered 410 Gone',
  exhausted: 'no successful delivery for 24 hours and a delivery exhausted its retries',
} as const;

/**
 * The endpoint-health rule, the one place it is written (both store dialects apply it through
 * `EndpointHealthPolicy`). A static webhook is disabled (`disabled_due_to_failed_deliveries`)
 * when a delivery to it fails because the endpoint answered 410 Gone, or when a delivery exhausts
 * its retries and the webhook has had no successful delivery for 24 hours (since it was created,
 * when it never had one). Only an `enabled` webhook is disabled; dynamic destinations never are.
 * Pure: the time is the attempt's `now`.
 *
 * @example
 * const store = await openStore(config, { now, endpointHealth: createEndpointHealth({ timeScale: 1 }) });
 */
export function createEndpointHealth(opts: EndpointHealthOptions): EndpointHealthPolicy {
  const windowMs = Math.ceil((DELIVERY_WINDOW_HOURS * 3_600_000) / opts.timeScale);

  function mayDisable({ delivery, outcome }: CompleteAttemptInput): boolean {
    return (
      delivery.destType === 'webhook' &&
      delivery.webhookId !== null &&
      outcome.status === 'failed' &&
      (outcome.reason === 'gone' || outcome.reason === 'exhausted')
    );
  }

  function decide(input: CompleteAttemptInput, webhook: WebhookHealthFacts): WebhookDisable | undefined {
    const { outcome, now } = input;
    if (!mayDisable(input) || outcome.status !== 'failed' || webhook.state !== 'enabled') return undefined;
    if (outcome.reason === 'exhausted' && (webhook.lastSuccessAt ?? webhook.createdAt) > now - windowMs) {
      return undefined;
    }
    const reason = outcome.reason === 'gone' ? DISABLE_REASONS.gone : DISABLE_REASONS.exhausted;
    const event = buildEvent({
      projectId: input.delivery.projectId,
      type: 'webhook.disabled',
      data: { id: webhook.id, reason },
      now,
      target: { kind: 'subscribers' },
      timeScale: opts.timeScale,
    });
    return { reason, event };
  }

  return { mayDisable, decide };
}
