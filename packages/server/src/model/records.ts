import type { AttemptTrigger, DeliveryStatus, RevocationBehavior, WebhookState } from '@herald/contracts';

/** Every timestamp in the store is epoch milliseconds. */
export type EpochMs = number;

export interface ProjectRecord {
  id: string;
  name: string;
  createdAt: EpochMs;
  /** How the consumer portal looks for this project's customer (absent: Herald's defaults). */
  branding?: ProjectBranding;
  /** Per-project limits (absent: the instance defaults, `HERALD_PROJECT_*`). */
  limits?: ProjectLimits;
}

export interface ProjectBranding {
  /** An `https:` (or, outside production, `http:`) image URL shown in the portal header. */
  logoUri?: string;
  /** `#rrggbb`, the portal's accent colour. */
  accentColor?: string;
}

export interface ProjectLimits {
  /** Events accepted per second (a token bucket of one second's burst); absent: the default. */
  eventsPerSecond?: number;
  /** Most webhooks the project may have; absent: the default. */
  maxWebhooks?: number;
}

export interface ApiKeyRecord {
  id: string;
  projectId: string;
  name: string;
  prefix: string;
  createdAt: EpochMs;
  revokedAt: EpochMs | null;
}

export interface SecretRecord {
  id: string;
  /** The `whsec_…` secret sealed with the master key. */
  sealed: string;
  truncated: string;
  createdAt: EpochMs;
  expireAt: EpochMs | null;
}

export interface WebhookRecord {
  id: string;
  projectId: string;
  name: string;
  uri: string;
  subscribedEvents: string[];
  state: WebhookState;
  createdAt: EpochMs;
  updatedAt: EpochMs;
  lastSuccessAt: EpochMs | null;
  /** Unexpired secrets, newest first. */
  secrets: SecretRecord[];
}

export interface WebhookPatch {
  name?: string;
  uri?: string;
  subscribedEvents?: string[];
  state?: WebhookState;
}

export interface RotateInput {
  secret: SecretRecord;
  behavior: RevocationBehavior;
  /** When the previous secrets stop being valid (for the 24 h overlap). */
  previousExpireAt: EpochMs;
}

export interface EventRecord {
  id: string;
  projectId: string;
  sequence: number;
  type: string;
  messageId: string;
  operation: string | null;
  /** The exact envelope bytes, as sent and signed. */
  body: string;
  createdAt: EpochMs;
  deliveryCount: number;
}

/** Where an event's deliveries go. */
export type EventTarget =
  /** Every enabled static webhook of the project subscribed to the type. */
  | { kind: 'subscribers' }
  /** One static webhook, whatever it subscribes to (`webhook.ping`). */
  | { kind: 'webhook'; webhookId: string }
  /** Dynamic per-request URIs, instead of the static webhooks. */
  | { kind: 'uris'; uris: string[] };

export interface EmitInput {
  eventId: string;
  projectId: string;
  type: string;
  messageId: string;
  body: string;
  createdAt: EpochMs;
  /** Deliveries give up after this instant. */
  deadlineAt: EpochMs;
  operation?: string;
  idempotencyKey?: string;
  target: EventTarget;
  /** Pending deliveries of older events with this key, to the same destination, are superseded. */
  supersedeKey?: string;
  /** Generates delivery ids. */
  newDeliveryId: () => string;
}

export interface EmitResult {
  event: EventRecord;
  /** True when the idempotency key matched an earlier event, which is returned instead. */
  duplicate: boolean;
}

export interface DeliveryRecord {
  id: string;
  projectId: string;
  eventId: string;
  eventType: string;
  messageId: string;
  destType: 'webhook' | 'dynamic';
  webhookId: string | null;
  uri: string;
  status: DeliveryStatus;
  statusReason: string | null;
  attemptCount: number;
  nextAttemptAt: EpochMs | null;
  nextTrigger: AttemptTrigger;
  deadlineAt: EpochMs;
  createdAt: EpochMs;
  updatedAt: EpochMs;
  lastStatusCode: number | null;
  lastError: string | null;
}

export interface AttemptRecord {
  deliveryId: string;
  number: number;
  trigger: AttemptTrigger;
  startedAt: EpochMs;
  durationMs: number;
  statusCode: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  responseExcerpt: string | null;
}

/** A delivery leased to this process for one attempt, with what the attempt needs. */
export interface ClaimedDelivery extends DeliveryRecord {
  body: string;
  webhookState: WebhookState | null;
  leaseOwner: string;
  /**
   * The webhook's unexpired secrets as of the claim, newest first, when the store read them with
   * it (PostgreSQL: one round trip fewer per delivery). Absent: the signer reads them itself.
   */
  secrets?: SecretRecord[];
}

/** What to do with a delivery after an attempt. */
export type AttemptOutcome =
  | { status: 'succeeded' }
  | { status: 'pending'; nextAttemptAt: EpochMs }
  | { status: 'failed'; reason: 'exhausted' | 'gone' | 'manual_attempt_failed' | 'replay_attempt_failed' }
  /** Dropped without an attempt: its webhook was deleted or disabled meanwhile. */
  | { status: 'cancelled'; reason: string };

export interface CompleteAttemptInput {
  delivery: ClaimedDelivery;
  /** Null when the delivery is settled without an attempt (`cancelled`). */
  attempt: AttemptRecord | null;
  outcome: AttemptOutcome;
  now: EpochMs;
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  webhookId?: string;
  eventId?: string;
  pageSize: number;
  /** Newest first: return deliveries whose id sorts before this one. */
  beforeId?: string;
}

/** An instance-wide admin key (the admin plane): metadata only, the key is stored by SHA-256. */
export interface AdminKeyRecord {
  id: string;
  name: string;
  prefix: string;
  createdAt: EpochMs;
  revokedAt: EpochMs | null;
}
