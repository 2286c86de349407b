import type { EpochMs, WebhookPatch, WebhookRecord } from '../../model/records.js';

/** The webhook after `patch` (fields left out keep their value), as both dialects write it. */
export function applyWebhookPatch(before: WebhookRecord, patch: WebhookPatch, now: EpochMs): WebhookRecord {
  return {
    ...before,
    name: patch.name ?? before.name,
    uri: patch.uri ?? before.uri,
    subscribedEvents: patch.subscribedEvents ?? before.subscribedEvents,
    state: patch.state ?? before.state,
    updatedAt: now,
  };
}
