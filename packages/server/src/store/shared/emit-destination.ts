import type { ClaimedDelivery, EmitInput } from '../../model/records.js';
import type { WebhookRow } from '../rows/rows.js';
import type { SubscribedWebhook } from '../subscription-cache.js';

/** Where one delivery of an emitted event goes. */
export interface EmitDestination {
  destType: 'webhook' | 'dynamic';
  webhookId: string | null;
  uri: string;
  webhookState: ClaimedDelivery['webhookState'];
}

/**
 * The destinations of an event's target, the same on both dialects: one per distinct URI, the
 * one webhook (when it exists in the project), or the subscribed webhooks. The dialect reads the
 * rows (`webhook` for a `webhook` target, `subscribers` for a `subscribers` target).
 */
export function emitDestinations(
  target: EmitInput['target'],
  rows: { webhook: WebhookRow | undefined; subscribers: SubscribedWebhook[] | undefined },
): EmitDestination[] {
  switch (target.kind) {
    case 'uris':
      return [...new Set(target.uris)].map((uri) => ({
        destType: 'dynamic',
        webhookId: null,
        uri,
        webhookState: null,
      }));
    case 'webhook': {
      const row = rows.webhook;
      return row
        ? [
            {
              destType: 'webhook',
              webhookId: row.id,
              uri: row.uri,
              webhookState: row.state as ClaimedDelivery['webhookState'],
            },
          ]
        : [];
    }
    case 'subscribers':
      return (rows.subscribers ?? []).map((w) => ({
        destType: 'webhook',
        webhookId: w.webhookId,
        uri: w.uri,
        webhookState: 'enabled', // subscribers are the enabled webhooks
      }));
  }
}
