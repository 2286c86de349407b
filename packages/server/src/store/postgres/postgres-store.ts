import { Kysely, PostgresDialect } from 'kysely';
import type { SigningAlgorithm } from '../../keys/signing-keys.js';
import type { EventNotice } from '../../model/event-notice.js';
import { migrateToLatest } from '../migrate.js';
import type {
  FileRecord,
  LeaseOperationsInput,
  OperationChange,
  OperationQuery,
  OperationRecord,
  OperationUpdate,
} from '../../model/operation-records.js';
import type { DeliveryOverview, DeliveryOverviewQuery, RecentEventsQuery } from '../../model/overview-records.js';
import type {
  ApiKeyRecord,
  CompleteAttemptInput,
  DeliveryFilter,
  EmitInput,
  EmitResult,
  ProjectRecord,
  RotateInput,
  WebhookPatch,
  WebhookRecord,
} from '../../model/records.js';
import type { ReplayInput, ReplayResult } from '../../model/replay-records.js';
import type { ProjectSettings, ProjectSettingsPatch, SigningKeyRecord } from '../../model/signing-records.js';
import type { ClaimInput, DeliveryStats, PurgeResult, Store } from '../../ports/store.js';
import { insertApiKey, revokeApiKeyInTx, selectApiKeyByHash, selectApiKeys } from './api-keys.js';
import { claimDueInTx } from './claim-due.js';
import { completeAttemptInTx, releaseExpiredLeasesInTx } from './complete-attempt.js';
import { markForRetry, selectDeliveries, selectDelivery, selectDeliveryStats, selectNextDueAt } from './deliveries.js';
import { selectEvent, selectEventsAfter } from './events.js';
import { PgEventEmitter } from './event-emitter.js';
import {
  deleteOperationInTx,
  insertFile,
  insertOperationInTx,
  leaseOperationsInTx,
  selectExpiredOperations,
  selectFile,
  selectFileContent,
  selectNextExpiry,
  selectOperation,
  selectOperations,
  updateOperationInTx,
} from './operations.js';
import { createPool, inTx, poolReader, type PgPool, type Tx } from './pg-database.js';
import { ensureProjectInTx, selectLatestSequences, selectProject } from './projects.js';
import { PgNotifications } from './notifications.js';
import { purgeBeforeInTx } from './purge.js';
import {
  insertSigningKeyIfNone,
  rotateSigningKeyInTx,
  selectActiveSigningKey,
  selectDeliveryOverview,
  selectPublishedSigningKeys,
  selectRecentEvents,
} from './reads.js';
import { replayWebhookDeliveriesInTx } from './replay.js';
import { selectProjectSettings, updateProjectSettingsInTx } from './project-settings.js';
import { deleteFileRow, selectFiles } from './files.js';
import type { FileQuery } from '../../ports/operation-store.js';
import {
  insertWebhook,
  patchWebhook,
  removeWebhook,
  rotate,
  secretsOf,
  selectWebhook,
  selectWebhooks,
} from './webhooks.js';

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). The LISTEN connection is one more. */
  poolSize?: number;
  /**
   * Safety-net poll: `subscribe` listeners are also called this often, so a notification lost
   * (while the LISTEN connection reconnects) delays work by at most this much. Default 2 s.
   */
  pollMs?: number;
  /** Called with errors of the background LISTEN connection (it reconnects by itself). */
  onListenerError?: (err: unknown) => void;
}

/**
 * The scale-out store: any number of API and worker processes on one PostgreSQL database.
 * Every unit of work is one transaction on one pooled connection (`inTx`); claims lock
 * destinations `FOR UPDATE SKIP LOCKED` so per-destination caps hold across processes; every
 * commit that may make work due sends `NOTIFY` in the same transaction, and a dedicated,
 * reconnecting LISTEN connection turns those into `subscribe`, `subscribeEvents` and
 * `subscribeOperations` calls in every process, backed by a slow poll.
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly #pool: PgPool;
  readonly #notifications: PgNotifications;
  readonly #emitter: PgEventEmitter;
  #closed = false;

  private constructor(pool: PgPool, connectionString: string, opts: PostgresStoreOptions) {
    this.#pool = pool;
    this.#reader = poolReader(pool);
    this.#emitter = new PgEventEmitter(pool);
    this.#notifications = new PgNotifications({
      connectionString,
      pollMs: opts.pollMs ?? 2000,
      latestSequences: () => selectLatestSequences(this.#reader),
      ...(opts.onListenerError ? { onListenerError: opts.onListenerError } : {}),
    });
  }

  /** Connects, runs pending migrations (under Kysely's advisory migration lock) and starts listening. */
  static async open(connectionString: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = createPool(connectionString, opts.poolSize ?? 10);
    try {
      // Not destroyed afterwards: destroying Kysely would end the pool the store keeps using.
      await migrateToLatest(new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) }));
    } catch (err) {
      await pool.end().catch(() => {});
      throw err;
    }
    const store = new PostgresStore(pool, connectionString, opts);
    try {
      await store.#notifications.start();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  #tx<T>(fn: (tx: Tx) => Promise<T>, opts?: { retryOnUnique?: boolean }): Promise<T> {
    return inTx(this.#pool, fn, opts);
  }

  /** Reads outside an explicit transaction (each statement sees committed data). */
  readonly #reader: Pick<Tx, 'rows' | 'one'>;

  subscribe(listener: () => void): () => void {
    return this.#notifications.subscribe(listener);
  }

  subscribeEvents(listener: (notice: EventNotice) => void): () => void {
    return this.#notifications.subscribeEvents(listener);
  }

  subscribeOperations(listener: (change: OperationChange) => void): () => void {
    return this.#notifications.subscribeOperations(listener);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.#reader.one('SELECT 1 AS ok')) !== undefined;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#notifications.close();
    await this.#pool.end();
  }

  // projects and keys
  async ensureProject(p: ProjectRecord): Promise<ProjectRecord> {
    return this.#tx((tx) => ensureProjectInTx(tx, p));
  }

  async getProject(id: string): Promise<ProjectRecord | undefined> {
    return selectProject(this.#reader, id);
  }

  async addApiKey(k: ApiKeyRecord, hash: string): Promise<void> {
    await this.#tx((tx) => insertApiKey(tx, k, hash));
  }

  async hasApiKeyHash(hash: string): Promise<boolean> {
    return (await selectApiKeyByHash(this.#reader, hash, { activeOnly: false })) !== undefined;
  }

  async findApiKey(hash: string): Promise<{ projectId: string; keyId: string } | undefined> {
    return selectApiKeyByHash(this.#reader, hash, { activeOnly: true });
  }

  async listApiKeys(projectId: string): Promise<ApiKeyRecord[]> {
    return selectApiKeys(this.#reader, projectId);
  }

  async revokeApiKey(projectId: string, id: string, now: number): Promise<ApiKeyRecord | undefined> {
    return this.#tx((tx) => revokeApiKeyInTx(tx, projectId, id, now));
  }

  // static webhooks
  async createWebhook(w: WebhookRecord): Promise<void> {
    await this.#tx((tx) => insertWebhook(tx, w));
  }

  async getWebhook(projectId: string, id: string, now: number): Promise<WebhookRecord | undefined> {
    return this.#tx((tx) => selectWebhook(tx, projectId, id, now));
  }

  async listWebhooks(
    projectId: string,
    page: { pageSize: number; after?: { createdAt: number; id: string } },
    now: number,
  ): Promise<WebhookRecord[]> {
    return this.#tx((tx) => selectWebhooks(tx, projectId, page, now));
  }

  async updateWebhook(
    projectId: string,
    id: string,
    patch: WebhookPatch,
    now: number,
  ): Promise<WebhookRecord | undefined> {
    return this.#tx((tx) => patchWebhook(tx, projectId, id, patch, now));
  }

  async deleteWebhook(projectId: string, id: string, now: number): Promise<boolean> {
    return this.#tx((tx) => removeWebhook(tx, projectId, id, now));
  }

  async rotateSecret(
    projectId: string,
    id: string,
    input: RotateInput,
    now: number,
  ): Promise<WebhookRecord | undefined> {
    return this.#tx((tx) => rotate(tx, projectId, id, input, now));
  }

  async activeSecrets(webhookId: string, now: number) {
    return secretsOf(this.#reader, webhookId, now);
  }

  // events
  async emitEvent(input: EmitInput): Promise<EmitResult> {
    return this.#emitter.emit(input);
  }

  async getEvent(projectId: string, id: string) {
    return selectEvent(this.#reader, projectId, id);
  }

  async listEvents(projectId: string, q: { afterSequence: number; types?: string[]; pageSize: number }) {
    return selectEventsAfter(this.#reader, projectId, q);
  }

  // deliveries: the engine's side
  async claimDue(input: ClaimInput) {
    return this.#tx((tx) => claimDueInTx(tx, input));
  }

  async completeAttempt(input: CompleteAttemptInput): Promise<void> {
    await this.#tx((tx) => completeAttemptInTx(tx, input));
  }

  async releaseExpiredLeases(now: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.#tx((tx) => releaseExpiredLeasesInTx(tx, now));
      total += n;
      if (n < 1000) return total;
    }
  }

  async purgeBefore(input: { before: number; limit: number }): Promise<PurgeResult> {
    return this.#tx((tx) => purgeBeforeInTx(tx, input.before, input.limit));
  }

  async nextDueAt(maxPerDestination: number): Promise<number | null> {
    return selectNextDueAt(this.#reader, maxPerDestination);
  }

  async deliveryStats(): Promise<DeliveryStats> {
    return selectDeliveryStats(this.#reader);
  }

  async getDelivery(projectId: string, id: string) {
    return this.#tx((tx) => selectDelivery(tx, projectId, id));
  }

  async listDeliveries(projectId: string, filter: DeliveryFilter) {
    return selectDeliveries(this.#reader, projectId, filter);
  }

  async retryDelivery(projectId: string, id: string, now: number) {
    return this.#tx((tx) => markForRetry(tx, projectId, id, now));
  }

  async replayWebhookDeliveries(input: ReplayInput): Promise<ReplayResult> {
    return this.#tx((tx) => replayWebhookDeliveriesInTx(tx, input));
  }

  // dashboard reads
  async deliveryOverview(projectId: string, q: DeliveryOverviewQuery): Promise<DeliveryOverview> {
    // REPEATABLE READ would give one snapshot; the overview tolerates a few ms of skew.
    return this.#tx((tx) => selectDeliveryOverview(tx, projectId, q));
  }

  async listRecentEvents(projectId: string, q: RecentEventsQuery) {
    return selectRecentEvents(this.#reader, projectId, q);
  }

  // signing keys and project settings
  async activeSigningKey(alg: SigningAlgorithm): Promise<SigningKeyRecord | undefined> {
    return selectActiveSigningKey(this.#reader, alg);
  }

  async listPublishedSigningKeys(now: number): Promise<SigningKeyRecord[]> {
    return selectPublishedSigningKeys(this.#reader, now);
  }

  async insertSigningKeyIfNone(key: SigningKeyRecord): Promise<SigningKeyRecord> {
    return this.#tx((tx) => insertSigningKeyIfNone(tx, key));
  }

  async rotateSigningKey(key: SigningKeyRecord, publishUntil: number): Promise<SigningKeyRecord | undefined> {
    return this.#tx((tx) => rotateSigningKeyInTx(tx, key, publishUntil));
  }

  async getProjectSettings(projectId: string): Promise<ProjectSettings | undefined> {
    return selectProjectSettings(this.#reader, projectId);
  }

  async updateProjectSettings(projectId: string, patch: ProjectSettingsPatch): Promise<ProjectSettings | undefined> {
    return this.#tx((tx) => updateProjectSettingsInTx(tx, projectId, patch));
  }

  // operations, leases and files
  async createOperation(op: OperationRecord) {
    return this.#tx((tx) => insertOperationInTx(tx, op), { retryOnUnique: op.idempotencyKey !== null });
  }

  async getOperation(projectId: string, name: string) {
    return selectOperation(this.#reader, projectId, name);
  }

  async listOperations(projectId: string, q: OperationQuery) {
    return selectOperations(this.#reader, projectId, q);
  }

  async leaseOperations(input: LeaseOperationsInput) {
    return this.#tx((tx) => leaseOperationsInTx(tx, input));
  }

  async updateOperation(input: OperationUpdate) {
    return this.#tx((tx) => updateOperationInTx(tx, input));
  }

  async deleteOperation(projectId: string, name: string) {
    return (await this.#tx((tx) => deleteOperationInTx(tx, projectId, name))) !== undefined;
  }

  async expiredOperations(now: number, limit: number) {
    return selectExpiredOperations(this.#reader, now, limit);
  }

  async nextOperationExpiry() {
    return selectNextExpiry(this.#reader);
  }

  /** Many processes share the database: a lease is handed back only when it expires. */
  async recoverOperationLeases(_ownerPrefix: string, _now: number) {
    return 0;
  }

  async createFile(file: FileRecord, content: Uint8Array) {
    await this.#tx((tx) => insertFile(tx, file, content));
  }

  async getFile(projectId: string, name: string) {
    return selectFile(this.#reader, projectId, name);
  }

  async getFileContent(projectId: string, name: string) {
    return selectFileContent(this.#reader, projectId, name);
  }

  async listFiles(projectId: string, q: FileQuery) {
    return selectFiles(this.#reader, projectId, q);
  }

  async deleteFile(projectId: string, name: string) {
    return this.#tx((tx) => deleteFileRow(tx, projectId, name));
  }
}
