import type { WebhookState } from '@herald/contracts';
import type { EpochMs } from './records.js';

/**
 * Re-enqueue a static webhook's deliveries for the events of a time window (`replayWebhookDeliveries`).
 *
 * For every event of the project created in `[since, until)`, oldest first:
 * - if the event already has a delivery row to the webhook, that row is made due now with
 *   trigger `replay` (same id, `webhook-id` and body; its attempts are kept) when its status is
 *   `failed` or `cancelled` (any settled status — `succeeded` too — when `onlyFailed` is false).
 *   Rows still `pending` or `in_flight` are left alone (they will be attempted anyway), and rows
 *   cancelled because a newer event superseded them (`operation.progress`) are not replayed;
 * - if it has none (the webhook was disabled when the event happened, so nothing was queued), a
 *   new delivery row is created when the event is one the webhook would have received: its type is
 *   in the webhook's current `subscribedEvents`, it happened after the webhook was created, and it
 *   was a fan-out event (not a `webhook.ping` nor an event routed to dynamic per-request URIs).
 *   The new row carries the event's message id, so `webhook-id` is the same as for every other
 *   destination of that event.
 */
export interface ReplayInput {
  projectId: string;
  webhookId: string;
  /** Inclusive lower bound of the events' create time. */
  since: EpochMs;
  /** Exclusive upper bound of the events' create time. */
  until: EpochMs;
  onlyFailed: boolean;
  /** Most deliveries re-enqueued by one call; more eligible ones make the result `truncated`. */
  limit: number;
  now: EpochMs;
  /** Deadline of new delivery rows. */
  deadlineAt: EpochMs;
  newDeliveryId: () => string;
}

export type ReplayResult =
  | { status: 'not_found' }
  | { status: 'not_enabled'; state: WebhookState }
  | {
      status: 'replayed';
      /** Deliveries made due: `requeued + created`. */
      replayed: number;
      /** Existing delivery rows made due again. */
      requeued: number;
      /** New delivery rows, for events that were never queued to the webhook. */
      created: number;
      /** More eligible events remain after the last one replayed. */
      truncated: boolean;
      /** When truncated: the create time of the first event not replayed (call again from there). */
      nextSince: EpochMs | null;
    };
