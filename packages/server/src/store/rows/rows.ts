import type { JWK } from 'jose';
import type { SigningKeyRecord } from '../../model/signing-records.js';
import type { WebhookHealthFacts } from '../../ports/endpoint-health.js';
import type { AttemptTrigger, DeliveryStatus, WebhookState } from '@herald/contracts';
import type { AttemptRecord, DeliveryRecord, EventRecord, SecretRecord, WebhookRecord } from '../../model/records.js';

/** Row shapes as SQLite returns them, and their mapping to records. */
export interface WebhookRow {
  id: string;
  project_id: string;
  name: string;
  uri: string;
  subscribed_events: string;
  state: string;
  created_at: number;
  updated_at: number;
  last_success_at: number | null;
}

export interface SecretRow {
  id: string;
  webhook_id: string;
  sealed: string;
  truncated: string;
  created_at: number;
  expire_at: number | null;
}

export interface EventRow {
  id: string;
  project_id: string;
  sequence: number;
  type: string;
  message_id: string;
  operation: string | null;
  body: string;
  delivery_count: number;
  created_at: number;
}

export interface DeliveryRow {
  id: string;
  project_id: string;
  event_id: string;
  event_type: string;
  message_id: string;
  destination_id: string;
  dest_type: string;
  webhook_id: string | null;
  uri: string;
  status: string;
  status_reason: string | null;
  attempt_count: number;
  next_attempt_at: number | null;
  next_trigger: string;
  lease_owner: string | null;
  lease_until: number | null;
  deadline_at: number;
  created_at: number;
  updated_at: number;
  last_status_code: number | null;
  last_error: string | null;
}

export interface AttemptRow {
  delivery_id: string;
  number: number;
  trigger: string;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  error_code: string | null;
  error_message: string | null;
  response_excerpt: string | null;
}

export function toSecret(r: SecretRow): SecretRecord {
  return { id: r.id, sealed: r.sealed, truncated: r.truncated, createdAt: r.created_at, expireAt: r.expire_at };
}

export function toWebhook(r: WebhookRow, secrets: SecretRecord[]): WebhookRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    uri: r.uri,
    subscribedEvents: JSON.parse(r.subscribed_events) as string[],
    state: r.state as WebhookState,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastSuccessAt: r.last_success_at,
    secrets,
  };
}

/** The values of a webhooks INSERT, in the column order both dialects write. */
export function webhookInsertParams(w: WebhookRecord): unknown[] {
  return [
    w.id,
    w.projectId,
    w.name,
    w.uri,
    JSON.stringify(w.subscribedEvents),
    w.state,
    w.createdAt,
    w.updatedAt,
    w.lastSuccessAt,
  ];
}

/** The values of an attempts INSERT (`number`: the delivery's attempt count after it), in column order. */
export function attemptInsertParams(deliveryId: string, a: AttemptRecord, number: number): unknown[] {
  return [
    deliveryId,
    number,
    a.trigger,
    a.startedAt,
    a.durationMs,
    a.statusCode,
    a.errorCode,
    a.errorMessage,
    a.responseExcerpt,
  ];
}

/** The endpoint-health facts of a webhook row (see ports/endpoint-health.ts). */
export function toWebhookHealthFacts(r: WebhookRow): WebhookHealthFacts {
  return {
    id: r.id,
    projectId: r.project_id,
    state: r.state as WebhookState,
    createdAt: r.created_at,
    lastSuccessAt: r.last_success_at,
  };
}

export function toEvent(r: EventRow): EventRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    sequence: r.sequence,
    type: r.type,
    messageId: r.message_id,
    operation: r.operation,
    body: r.body,
    createdAt: r.created_at,
    deliveryCount: r.delivery_count,
  };
}

export function toDelivery(r: DeliveryRow): DeliveryRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    eventId: r.event_id,
    eventType: r.event_type,
    messageId: r.message_id,
    destType: r.dest_type === 'dynamic' ? 'dynamic' : 'webhook',
    webhookId: r.webhook_id,
    uri: r.uri,
    status: r.status as DeliveryStatus,
    statusReason: r.status_reason,
    attemptCount: r.attempt_count,
    nextAttemptAt: r.next_attempt_at,
    nextTrigger: r.next_trigger as AttemptTrigger,
    deadlineAt: r.deadline_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
  };
}

export function toAttempt(r: AttemptRow): AttemptRecord {
  return {
    deliveryId: r.delivery_id,
    number: r.number,
    trigger: r.trigger as AttemptTrigger,
    startedAt: r.started_at,
    durationMs: r.duration_ms,
    statusCode: r.status_code,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    responseExcerpt: r.response_excerpt,
  };
}

export interface SigningKeyRow {
  kid: string;
  alg: string;
  sealed_private_key: string;
  public_jwk: string;
  created_at: number;
  retired_at: number | null;
  expire_at: number | null;
}

export function toSigningKey(r: SigningKeyRow): SigningKeyRecord {
  return {
    kid: r.kid,
    alg: r.alg as SigningKeyRecord['alg'],
    sealedPrivateKey: r.sealed_private_key,
    publicJwk: JSON.parse(r.public_jwk) as JWK,
    createdAt: r.created_at,
    retiredAt: r.retired_at,
    expireAt: r.expire_at,
  };
}

/** The values of a signing_keys INSERT of a new active key: kid, alg, sealed key, public JWK, created. */
export function signingKeyInsertParams(k: SigningKeyRecord): unknown[] {
  return [k.kid, k.alg, k.sealedPrivateKey, JSON.stringify(k.publicJwk), k.createdAt];
}
