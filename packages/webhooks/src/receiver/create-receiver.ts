/**
 * The receiver helper: verify → dedupe by `webhook-id` → dispatch → HTTP answer.
 * @module
 */

import { WebhookVerificationError } from '../errors.js';
import type { KnownEventType } from '../events/event-catalog.js';
import {
  isWebhookEvent,
  type AnyWebhookEvent,
  type CustomWebhookEvent,
  type EventOf,
} from '../events/webhook-event.js';
import type { VerifiedDelivery } from '../verified-delivery.js';
import type { Verifier } from '../verifier.js';
import type { WebhookHeaders, WebhookPayload } from '../webhook-input.js';
import { statusForError } from './error-status.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { MemoryIdempotencyStore } from './memory-store.js';

/** What a handler learns besides the event. */
export type WebhookContext = Omit<VerifiedDelivery, 'event'>;

/** Handles one event; throw (or reject) to make the sender retry. */
export type EventHandler<E> = (event: E, context: WebhookContext) => unknown;

/** Handlers per known event type. */
export type EventHandlers = { [K in KnownEventType]?: EventHandler<EventOf<K>> };

/** Where an error reported to `onError` happened. */
export type ReceiverStage = 'verify' | 'store' | 'handler';

/** Options of {@link createWebhookReceiver}. */
export interface WebhookReceiverOptions {
  /** A `Webhook` (v1) or `WebhookVerifier` (v1, v1a, JWT). */
  verifier: Verifier;
  /** Dedupe store; `false` disables deduplication. Default: a new `MemoryIdempotencyStore`. */
  store?: IdempotencyStore | false;
  /** How long a processed `webhook-id` is remembered, in seconds. Default `90_000` (25 h: Herald retries for 24 h). */
  dedupeTtl?: number;
  /** Handlers per known event type (more can be added with `on`). */
  handlers?: EventHandlers;
  /** Called for types without a handler. Without it such events are acknowledged and ignored. */
  fallback?: EventHandler<AnyWebhookEvent>;
  /** Observes failures (verification, store, handler). Default: `console.error` for store and handler failures. */
  onError?: (error: unknown, stage: ReceiverStage, id: string | undefined) => void;
}

/** A framework-neutral request: the raw body and the headers. */
export interface WebhookRequest {
  body: WebhookPayload;
  headers: WebhookHeaders;
}

/** A framework-neutral response with a small JSON body. */
export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The object returned by {@link createWebhookReceiver}. */
export interface WebhookReceiver {
  /** Registers the handler of a known event type. */
  on<K extends KnownEventType>(type: K, handler: EventHandler<EventOf<K>>): WebhookReceiver;
  /** Registers the handler of a custom event type. */
  on(type: string, handler: EventHandler<CustomWebhookEvent>): WebhookReceiver;
  /** Processes one request; never throws. */
  handle(request: WebhookRequest): Promise<WebhookResponse>;
}

const json = (status: number, body: unknown): WebhookResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const defaultOnError = (error: unknown, stage: ReceiverStage, id: string | undefined): void => {
  if (stage !== 'verify') console.error(`[@herald/webhooks] ${stage} failed for ${id ?? 'unknown id'}:`, error);
};

/**
 * Creates a receiver that verifies each request, drops duplicates by `webhook-id`, calls the
 * handler of the event's type and answers:
 *
 * | outcome | status |
 * | --- | --- |
 * | handled, or no handler for the type | `200 {"ok":true}` |
 * | duplicate `webhook-id` (handler not called) | `200 {"ok":true,"duplicate":true}` |
 * | verification failed | `400`/`401` (`413`, `503` for an unavailable JWKS) `{"error":{code,message}}` |
 * | handler threw | `500` (the claim is released so the sender's retry is processed) |
 * | idempotency store failed | `503` |
 *
 * Keep handlers short (enqueue work, then return): the sender waits for the answer.
 *
 * @example
 * ```ts
 * const receiver = createWebhookReceiver({ verifier: new Webhook(secret) })
 *   .on('batch.succeeded', async (event) => queue.add(event.data.id))
 *   .on('batch.failed', (event) => log.warn(event.data.error_message));
 * const { status, headers, body } = await receiver.handle({ body: rawBody, headers: req.headers });
 * ```
 */
export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const { verifier, dedupeTtl = 90_000, fallback, onError = defaultOnError } = options;
  const store = options.store === false ? undefined : (options.store ?? new MemoryIdempotencyStore());
  const handlers = new Map<string, EventHandler<never>>(Object.entries(options.handlers ?? {}));

  async function handle(request: WebhookRequest): Promise<WebhookResponse> {
    let delivery: VerifiedDelivery;
    try {
      delivery = await verifier.verifyDelivery(request.body, request.headers);
      if (!isWebhookEvent(delivery.event)) throw new WebhookVerificationError('ERR_PAYLOAD_INVALID');
    } catch (error) {
      onError(error, 'verify', undefined);
      if (!(error instanceof WebhookVerificationError))
        return json(500, { error: { code: 'ERR_INTERNAL', message: 'Verification failed' } });
      return json(statusForError(error.code), { error: { code: error.code, message: error.message } });
    }
    const { event, ...context } = delivery;
    const handler = (handlers.get(event.type) ?? fallback) as EventHandler<AnyWebhookEvent> | undefined;
    if (!handler) return json(200, { ok: true, ignored: true });
    try {
      if (store && !(await store.claim(context.id, dedupeTtl))) return json(200, { ok: true, duplicate: true });
    } catch (error) {
      onError(error, 'store', context.id);
      return json(503, { error: { code: 'ERR_STORE_UNAVAILABLE', message: 'Idempotency store unavailable' } });
    }
    try {
      await handler(event, context);
    } catch (error) {
      onError(error, 'handler', context.id);
      await store?.release(context.id).catch((releaseError: unknown) => {
        onError(releaseError, 'store', context.id);
      });
      return json(500, { error: { code: 'ERR_HANDLER_FAILED', message: 'Webhook handler failed' } });
    }
    return json(200, { ok: true });
  }

  const receiver: WebhookReceiver = {
    on(type: string, handler: EventHandler<never>) {
      handlers.set(type, handler);
      return receiver;
    },
    handle,
  };
  return receiver;
}
