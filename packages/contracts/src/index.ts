export {
  GEMINI_EVENT_TYPES,
  HERALD_EVENT_TYPES,
  CUSTOM_EVENT_TYPE_PATTERN,
  isCatalogEventType,
  isAcceptedEventType,
  describeAcceptedEventTypes,
} from './catalog.js';
export type { GeminiEventType, HeraldEventType, CatalogEventType } from './catalog.js';
export { ERROR_STATUSES, ErrorBody } from './errors.js';
export type { ErrorStatus } from './errors.js';
export {
  WEBHOOK_STATES,
  REVOCATION_BEHAVIORS,
  SigningSecret,
  Webhook,
  WebhookList,
  RotateSigningSecretResponse,
} from './resources/webhook.js';
export type { WebhookState, RevocationBehavior } from './resources/webhook.js';
export { EventEnvelope, Event, EventList } from './resources/event.js';
export { DELIVERY_STATUSES, ATTEMPT_TRIGGERS, Attempt, Delivery, DeliveryList } from './resources/delivery.js';
export type { DeliveryStatus, AttemptTrigger } from './resources/delivery.js';
export {
  SIGNING_KEY_ALGORITHMS,
  SigningKey,
  SigningKeyList,
  RotateSigningKeysRequest,
  Jwks,
} from './resources/signing-key.js';
export type { SigningKeyAlgorithm } from './resources/signing-key.js';
export {
  AdminUpdateProjectRequest,
  CreatePortalSessionRequest,
  CreateProjectRequest,
  DYNAMIC_SIGNING_MODES,
  PortalSession,
  Project,
  ProjectBranding,
  ProjectLimits,
  ProjectList,
  UpdateProjectRequest,
} from './resources/project.js';
export type { DynamicSigning } from './resources/project.js';
export { ReplayWebhookRequest, ReplayWebhookResponse } from './resources/replay.js';
export { ApiKey, ApiKeyList, CreatedApiKey, CreateApiKeyRequest } from './resources/api-key.js';
export { Empty } from './resources/empty.js';
export { HealthStatus } from './resources/health.js';
export {
  OPERATION_STATES,
  Operation,
  OperationError,
  OperationList,
  OperationProgress,
  OperationWebhookConfig,
} from './resources/operation.js';
export type { OperationState } from './resources/operation.js';
export { BATCH_STATES, Batch, BatchList, BatchOutput, GenerateContentBatch } from './resources/batch.js';
export type { BatchState } from './resources/batch.js';
export { INTERACTION_STATUSES, Interaction } from './resources/interaction.js';
export type { InteractionStatus } from './resources/interaction.js';
export { VideoOperation } from './resources/video.js';
export { File, UploadFileResponse } from './resources/file.js';
export { Model, ModelList } from './resources/model.js';
export { Listener, ListenerDelivery } from './resources/listener.js';
