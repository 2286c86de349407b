/**
 * `@herald/webhooks`: verify Herald (and Gemini API) webhooks — Standard Webhooks `v1` (HMAC),
 * `v1a` (Ed25519) and JWT via JWKS — with replay protection, idempotency and typed events.
 *
 * Node-only pieces live in subpath exports: `@herald/webhooks/node`, `/express`, `/fastify`,
 * `/sqlite`, `/redis`.
 *
 * @module
 */

export { Webhook } from './webhook.js';
export type { WebhookOptions } from './webhook.js';
export { WebhookVerifier } from './webhook-verifier.js';
export type { JwtOptions, WebhookVerifierOptions } from './webhook-verifier.js';
export type { Verifier } from './verifier.js';
export type { SignatureScheme, VerifiedDelivery } from './verified-delivery.js';
export type { HeadersLike, WebhookHeaders, WebhookPayload } from './webhook-input.js';
export type { WebhookSecret } from './internal/secret.js';
export type { HmacImplementation } from './internal/hmac.js';

export { WebhookVerificationError } from './errors.js';
export type { WebhookErrorCode, WebhookVerificationErrorOptions } from './errors.js';

export { createLocalJwks } from './jwks/local-jwks.js';
export { createRemoteJwks } from './jwks/remote-jwks.js';
export type { RemoteJwksOptions } from './jwks/remote-jwks.js';
export type { KeySet, VerificationKey } from './jwks/key-set.js';

export { KNOWN_EVENT_TYPES } from './events/event-catalog.js';
export type {
  BaseEventData,
  EventDataMap,
  FailureData,
  KnownEventType,
  OperationProgress,
  UserMetadata,
} from './events/event-catalog.js';
export { isEventType, isWebhookEvent } from './events/webhook-event.js';
export type {
  AnyWebhookEvent,
  CustomWebhookEvent,
  EventEnvelope,
  EventOf,
  WebhookEvent,
} from './events/webhook-event.js';

export { createWebhookReceiver } from './receiver/create-receiver.js';
export type {
  EventHandler,
  EventHandlers,
  ReceiverStage,
  WebhookContext,
  WebhookReceiver,
  WebhookReceiverOptions,
  WebhookRequest,
  WebhookResponse,
} from './receiver/create-receiver.js';
export { statusForError } from './receiver/error-status.js';
export type { IdempotencyStore } from './receiver/idempotency-store.js';
export { MemoryIdempotencyStore } from './receiver/memory-store.js';
export type { MemoryIdempotencyStoreOptions } from './receiver/memory-store.js';

export { toFetchHandler } from './adapters/fetch-handler.js';
export type { FetchHandlerOptions } from './adapters/fetch-handler.js';
