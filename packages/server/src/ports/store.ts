import type { DirectDispatch } from './direct-dispatch.js';
import type {
  ApiKeyRecord,
  AttemptRecord,
  ClaimedDelivery,
  CompleteAttemptInput,
  DeliveryFilter,
  DeliveryRecord,
  EmitInput,
  EmitResult,
  EpochMs,
  EventRecord,
  ProjectRecord,
  RotateInput,
  SecretRecord,
  WebhookPatch,
  WebhookRecord,
} from '../model/records.js';
import type { OperationStore } from './operation-store.js';
import type { DeliveryOverview, DeliveryOverviewQuery, RecentEventsQuery } from '../model/overview-records.js';
import type { ReplayInput, ReplayResult } from '../model/replay-records.js';
import type { SigningAlgorithm } from '../keys/signing-keys.js';
import type { EventNotice } from '../model/event-notice.js';
import type { ProjectSettings, ProjectSettingsPatch, SigningKeyRecord } from '../model/signing-records.js';

export interface DeliveryStats {
  pending: number;
  inFlight: number;
  /** `created_at` of the oldest pending or in-flight delivery, or null. */
  oldestPendingCreatedAt: EpochMs | null;
  disabledWebhooks: number;
}

/** What one retention batch (`purgeBefore`) deleted. */
export interface PurgeResult {
  events: number;
  deliveries: number;
  attempts: number;
}

export interface ClaimInput {
  now: EpochMs;
  /** Most deliveries to lease in this call. */
  limit: number;
  /** Most deliveries in flight per destination, across every process sharing the store. */
  maxPerDestination: number;
  leaseMs: number;
  owner: string;
}

/**
 * Persistence for everything Herald knows. Each method is one unit of work: when it writes
 * several rows (a state change, its event and its deliveries) it does so in ONE transaction.
 * Implementations: SQLite (embedded, one process) and, later, PostgreSQL (many processes).
 * The engine and the HTTP layer see only this interface.
 */
export interface Store extends OperationStore {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Calls `listener` after a commit that may have made a delivery due (an event, a retry, a
   * released lease). SQLite: in process. PostgreSQL: LISTEN/NOTIFY across processes.
   */
  subscribe(listener: () => void): () => void;
  /**
   * Optional (SQLite): the engine that runs in this process registers here to get fresh
   * deliveries leased to it in the emit's own transaction (see DirectDispatch); undefined
   * unregisters. Stores without it leave every delivery to `claimDue`.
   */
  setDirectDispatch?(dispatch: DirectDispatch | undefined): void;
  /** Cheap liveness check of the database (for `/readyz`). */
  ping(): Promise<boolean>;
  close(): Promise<void>;

  // projects and keys
  ensureProject(project: ProjectRecord): Promise<ProjectRecord>;
  getProject(id: string): Promise<ProjectRecord | undefined>;
  addApiKey(key: ApiKeyRecord, hash: string): Promise<void>;
  hasApiKeyHash(hash: string): Promise<boolean>;
  /** The project and key id for a key hash, when the key exists and is not revoked. */
  findApiKey(hash: string): Promise<{ projectId: string; keyId: string } | undefined>;
  /** Every key of the project (revoked ones too), oldest first; never the hashes. */
  listApiKeys(projectId: string): Promise<ApiKeyRecord[]>;
  /**
   * Revokes the key (`revokedAt = now`; a revoked key stays revoked with its first time) and
   * returns it, or undefined when the project has no such key.
   */
  revokeApiKey(projectId: string, id: string, now: EpochMs): Promise<ApiKeyRecord | undefined>;

  // static webhooks
  createWebhook(webhook: WebhookRecord): Promise<void>;
  getWebhook(projectId: string, id: string, now: EpochMs): Promise<WebhookRecord | undefined>;
  listWebhooks(
    projectId: string,
    page: { pageSize: number; after?: { createdAt: EpochMs; id: string } },
    now: EpochMs,
  ): Promise<WebhookRecord[]>;
  /** Applies the patch; pending deliveries are cancelled when the webhook leaves `enabled`. */
  updateWebhook(projectId: string, id: string, patch: WebhookPatch, now: EpochMs): Promise<WebhookRecord | undefined>;
  /** Deletes the webhook and cancels its pending deliveries. */
  deleteWebhook(projectId: string, id: string, now: EpochMs): Promise<boolean>;
  rotateSecret(projectId: string, id: string, input: RotateInput, now: EpochMs): Promise<WebhookRecord | undefined>;
  /** Unexpired secrets of a webhook, newest first, for signing an attempt. */
  activeSecrets(webhookId: string, now: EpochMs): Promise<SecretRecord[]>;

  // events (the transactional outbox)
  emitEvent(input: EmitInput): Promise<EmitResult>;
  getEvent(projectId: string, id: string): Promise<EventRecord | undefined>;
  listEvents(
    projectId: string,
    q: { afterSequence: number; types?: string[]; pageSize: number },
  ): Promise<EventRecord[]>;

  // deliveries (the engine's side)
  claimDue(input: ClaimInput): Promise<ClaimedDelivery[]>;
  completeAttempt(input: CompleteAttemptInput): Promise<void>;
  /** Returns expired leases to `pending`. Returns how many. */
  releaseExpiredLeases(now: EpochMs): Promise<number>;
  /** Earliest `next_attempt_at` of any pending delivery, or null when there is none. */
  nextDueAt(maxPerDestination: number): Promise<EpochMs | null>;

  /**
   * Retention, one small batch in one short transaction: deletes up to `limit` events created
   * before `before` whose deliveries are all settled (never a pending or in-flight one), with
   * those deliveries and their attempts. Fewer than `limit` events deleted: nothing older is left
   * to purge for now. Safe to run from several processes at once.
   */
  purgeBefore(input: { before: EpochMs; limit: number }): Promise<PurgeResult>;

  /** Whole-store gauges for /metrics (no per-destination breakdown: bounded cardinality). */
  deliveryStats(): Promise<DeliveryStats>;

  // deliveries (the API's side)
  getDelivery(
    projectId: string,
    id: string,
  ): Promise<{ delivery: DeliveryRecord; attempts: AttemptRecord[] } | undefined>;
  listDeliveries(projectId: string, filter: DeliveryFilter): Promise<DeliveryRecord[]>;
  /** Makes the delivery due now for one manual attempt. */
  retryDelivery(projectId: string, id: string, now: EpochMs): Promise<DeliveryRecord | undefined>;
  /**
   * Replay: in one transaction, makes a static webhook's failed (or all settled) deliveries of a
   * time window due now with trigger `replay`, and creates the rows of events it never got
   * (see `ReplayInput`). Bounded by `input.limit`.
   */
  replayWebhookDeliveries(input: ReplayInput): Promise<ReplayResult>;

  // dashboard reads
  /** One project's delivery counts, backlog and attempt latency percentiles. */
  deliveryOverview(projectId: string, q: DeliveryOverviewQuery): Promise<DeliveryOverview>;
  /** The project's events, newest first. */
  listRecentEvents(projectId: string, q: RecentEventsQuery): Promise<EventRecord[]>;

  // event notifications (the SSE stream)
  /**
   * Calls `listener` after every commit that appended events, once per event. A wake-up only:
   * readers fetch from `listEvents` after their own cursor. SQLite: in process. PostgreSQL:
   * LISTEN/NOTIFY, so notices cross processes.
   */
  subscribeEvents(listener: (notice: EventNotice) => void): () => void;

  // dynamic-webhook signing keys (instance-wide) and per-project settings
  /** The active (signing) key of `alg`, or undefined before the first start created one. */
  activeSigningKey(alg: SigningAlgorithm): Promise<SigningKeyRecord | undefined>;
  /** Keys in the JWKS at `now`: active keys, then retired keys with `expireAt > now`, newest first. */
  listPublishedSigningKeys(now: EpochMs): Promise<SigningKeyRecord[]>;
  /**
   * Makes `key` the active key of its algorithm unless one already is, and returns the active key
   * (`key` or the existing one). Safe when several processes start together: a unique index allows
   * one active key per algorithm and the loser reads the winner's key.
   */
  insertSigningKeyIfNone(key: SigningKeyRecord): Promise<SigningKeyRecord>;
  /**
   * In one transaction: retires the active key of `key.alg` (`retiredAt = key.createdAt`,
   * `expireAt = publishUntil`) and makes `key` active. Returns the retired key, if there was one.
   */
  rotateSigningKey(key: SigningKeyRecord, publishUntil: EpochMs): Promise<SigningKeyRecord | undefined>;
  getProjectSettings(projectId: string): Promise<ProjectSettings | undefined>;
  /** Applies the patch; undefined when the project does not exist. */
  updateProjectSettings(projectId: string, patch: ProjectSettingsPatch): Promise<ProjectSettings | undefined>;
}
