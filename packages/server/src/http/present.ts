import type { Attempt, Delivery, Event, Webhook } from '@herald/contracts';
import type { AttemptRecord, DeliveryRecord, EventRecord, WebhookRecord } from '../model/records.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Store records → wire resources (snake_case, RFC 3339 times). */
export function presentWebhook(w: WebhookRecord, newSecret?: string): Webhook {
  return {
    id: w.id,
    name: w.name,
    uri: w.uri,
    subscribed_events: w.subscribedEvents,
    state: w.state,
    signing_secrets: w.secrets.map((s) => ({
      truncated_secret: s.truncated,
      ...(s.expireAt !== null ? { expire_time: iso(s.expireAt) } : {}),
    })),
    ...(newSecret !== undefined ? { new_signing_secret: newSecret } : {}),
    create_time: iso(w.createdAt),
    update_time: iso(w.updatedAt),
  };
}

export function presentEvent(e: EventRecord): Event {
  return {
    id: e.id,
    type: e.type,
    sequence: e.sequence,
    message_id: e.messageId,
    ...(e.operation !== null ? { operation: e.operation } : {}),
    create_time: iso(e.createdAt),
    delivery_count: e.deliveryCount,
    payload: JSON.parse(e.body) as Event['payload'],
  };
}

export function presentAttempt(a: AttemptRecord): Attempt {
  return {
    number: a.number,
    trigger: a.trigger,
    start_time: iso(a.startedAt),
    duration_ms: a.durationMs,
    ...(a.statusCode !== null ? { status_code: a.statusCode } : {}),
    ...(a.errorCode !== null ? { error_code: a.errorCode } : {}),
    ...(a.errorMessage !== null ? { error_message: a.errorMessage } : {}),
    ...(a.responseExcerpt !== null ? { response_excerpt: a.responseExcerpt } : {}),
  };
}

export function presentDelivery(d: DeliveryRecord, attempts?: AttemptRecord[]): Delivery {
  return {
    id: d.id,
    event_id: d.eventId,
    event_type: d.eventType,
    message_id: d.messageId,
    destination: { type: d.destType, ...(d.webhookId !== null ? { webhook_id: d.webhookId } : {}), uri: d.uri },
    status: d.status,
    ...(d.statusReason !== null ? { status_reason: d.statusReason } : {}),
    attempt_count: d.attemptCount,
    ...(d.nextAttemptAt !== null ? { next_attempt_time: iso(d.nextAttemptAt) } : {}),
    deadline_time: iso(d.deadlineAt),
    create_time: iso(d.createdAt),
    update_time: iso(d.updatedAt),
    ...(d.lastStatusCode !== null ? { last_status_code: d.lastStatusCode } : {}),
    ...(d.lastError !== null ? { last_error: d.lastError } : {}),
    ...(attempts ? { attempts: attempts.map(presentAttempt) } : {}),
  };
}
