/**
 * The event envelope and the typed union of events.
 * @module
 */

import { KNOWN_EVENT_TYPES, type EventDataMap, type KnownEventType, type UserMetadata } from './event-catalog.js';

/**
 * The envelope Herald serialises once and signs: `{ type, version: 'v1', timestamp, data }`.
 *
 * @example
 * ```ts
 * const e: EventEnvelope<'webhook.ping', { id: string }> = {
 *   type: 'webhook.ping', version: 'v1', timestamp: '2026-05-04T12:00:00Z', data: { id: 'webhooks/abc' },
 * };
 * ```
 */
export interface EventEnvelope<T extends string, D> {
  type: T;
  /** Payload schema version. */
  version: 'v1';
  /** ISO 8601 time the event occurred (not the delivery attempt). */
  timestamp: string;
  data: D;
}

/** The event of one known type, e.g. `EventOf<'batch.failed'>`. */
export type EventOf<K extends KnownEventType> = EventEnvelope<K, EventDataMap[K]>;

/**
 * Discriminated union of every catalog event: `switch (event.type)` narrows `event.data`.
 *
 * @example
 * ```ts
 * function describe(event: WebhookEvent): string {
 *   switch (event.type) {
 *     case 'batch.failed':
 *       return `${event.data.id}: ${event.data.error_message}`;
 *     default:
 *       return event.type;
 *   }
 * }
 * ```
 */
export type WebhookEvent = { [K in KnownEventType]: EventOf<K> }[KnownEventType];

/** An event of a custom (dotted) type outside the catalog, with untyped `data`. */
export type CustomWebhookEvent = EventEnvelope<
  string,
  { id?: string; user_metadata?: UserMetadata; [key: string]: unknown }
>;

/** Anything the receiver can dispatch: a known event or a custom one. */
export type AnyWebhookEvent = WebhookEvent | CustomWebhookEvent;

/**
 * Checks the envelope shape of a verified body: an object with a dotted string `type` and an
 * object `data` (`version`/`timestamp`, when present, must be strings). Per-type `data` fields
 * are not validated: the body is signed by the sender.
 *
 * @example
 * ```ts
 * if (isWebhookEvent(body)) console.log(body.type);
 * ```
 */
export function isWebhookEvent(value: unknown): value is AnyWebhookEvent {
  if (typeof value !== 'object' || value === null) return false;
  const { type, data, version, timestamp } = value as Record<string, unknown>;
  return (
    typeof type === 'string' &&
    /^[\w-]+(\.[\w-]+)+$/.test(type) &&
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    (version === undefined || typeof version === 'string') &&
    (timestamp === undefined || typeof timestamp === 'string')
  );
}

/**
 * Narrows an event to one known type.
 *
 * @example
 * ```ts
 * if (isEventType(event, 'video.generated')) download(event.data.video_uri);
 * ```
 */
export function isEventType<E extends AnyWebhookEvent, K extends KnownEventType>(
  event: E,
  type: K,
): event is Extract<E, EventOf<K>> {
  return event.type === type && (KNOWN_EVENT_TYPES as readonly string[]).includes(type);
}
