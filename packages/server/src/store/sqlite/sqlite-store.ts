import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from '../migrate.js';
import type {
  FileRecord,
  LeaseOperationsInput,
  OperationChange,
  OperationQuery,
  OperationRecord,
  OperationUpdate,
} from '../../model/operation-records.js';
import {
  deleteOperationInTx,
  insertOperationInTx,
  leaseOperationsInTx,
  insertFile,
  recoverLeasesInTx,
  selectExpiredOperations,
  selectFile,
  selectFileContent,
  selectNextExpiry,
  selectOperation,
  selectOperations,
  updateOperationInTx,
} from './operations.js';
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
import type { ClaimInput, DeliveryStats, PurgeResult, Store } from '../../ports/store.js';
import { revokeApiKeyInTx, selectApiKeys } from './api-keys.js';
import { claimDueInTx } from './claim-due.js';
import { completeAttemptInTx, releaseExpiredLeasesInTx } from './complete-attempt.js';
import { markForRetry, selectDeliveries, selectDelivery, selectDeliveryStats, selectNextDueAt } from './deliveries.js';
import type { DirectDispatch } from '../../ports/direct-dispatch.js';
import { selectEvent, selectEventsAfter } from './events.js';
import { SqliteCommits } from './commits.js';
import { SqliteEventEmitter } from './event-emitter.js';
import type { DeliveryOverview, DeliveryOverviewQuery, RecentEventsQuery } from '../../model/overview-records.js';
import type { ReplayInput, ReplayResult } from '../../model/replay-records.js';
import { selectDeliveryOverview, selectRecentEvents } from './overview.js';
import { purgeBeforeInTx } from './purge.js';
import { replayWebhookDeliveriesInTx } from './replay.js';
import { openDatabase, type OpenDatabaseOptions, type SqliteDatabase } from './open-database.js';
import {
  insertWebhook,
  patchWebhook,
  removeWebhook,
  rotate,
  secretsOf,
  selectWebhook,
  selectWebhooks,
} from './webhooks.js';
import type { SigningAlgorithm } from '../../keys/signing-keys.js';
import type { EventNotice } from '../../model/event-notice.js';
import type { ProjectSettings, ProjectSettingsPatch, SigningKeyRecord } from '../../model/signing-records.js';
import { selectProjectSettings, updateProjectSettings } from './project-settings.js';
import { deleteFileRow, selectFiles } from './files.js';
import type { FileQuery } from '../../ports/operation-store.js';
import {
  insertSigningKeyIfNone,
  rotateSigningKeyInTx,
  selectActiveSigningKey,
  selectPublishedSigningKeys,
} from './signing-keys.js';

/**
 * The embedded store: one SQLite file, one process (API and engine together). better-sqlite3 is
 * synchronous, so every method runs its statements in one `db.transaction`, atomically and
 * without interleaving; methods return resolved promises to fit the `Store` interface.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly #db: SqliteDatabase;
  readonly #commits: SqliteCommits;
  readonly #emitter: SqliteEventEmitter;
  readonly #listeners = new Set<() => void>();

  private constructor(db: SqliteDatabase, durable: 'FULL' | 'NORMAL') {
    this.#db = db;
    this.#commits = new SqliteCommits(db, durable);
    this.#emitter = new SqliteEventEmitter(db, this.#commits, () => this.#wake());
  }

  /** Opens the file, runs migrations, and returns leases left by a previous process to `pending`. */
  static async open(file: string, options: OpenDatabaseOptions & { now?: number } = {}): Promise<SqliteStore> {
    const db = openDatabase(file, options);
    const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: db }) });
    try {
      await migrateToLatest(kysely);
    } catch (err) {
      db.close();
      throw err;
    }
    const store = new SqliteStore(db, options.synchronous ?? 'FULL');
    // One process owns a SQLite store: whatever was in flight when it last stopped is due again.
    const now = options.now ?? Date.now();
    store.#tx(() => releaseExpiredLeasesInTx(db, Number.MAX_SAFE_INTEGER, now));
    return store;
  }

  #tx<T>(fn: () => T): T {
    return this.#commits.tx(fn);
  }

  #relaxed<T>(fn: () => T): T {
    return this.#commits.relaxed(fn);
  }

  subscribeEvents(listener: (notice: EventNotice) => void): () => void {
    return this.#commits.subscribeEvents(listener);
  }

  #wake(): void {
    for (const l of this.#listeners) l();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async ping(): Promise<boolean> {
    return this.#db.prepare('SELECT 1 AS ok').get() !== undefined;
  }

  async close(): Promise<void> {
    await this.#commits.close();
    if (this.#db.open) this.#db.close();
  }

  async ensureProject(p: ProjectRecord): Promise<ProjectRecord> {
    return this.#tx(() => {
      this.#db
        .prepare('INSERT OR IGNORE INTO projects (id, name, created_at) VALUES (?, ?, ?)')
        .run(p.id, p.name, p.createdAt);
      return this.#project(p.id)!;
    });
  }

  #project(id: string): ProjectRecord | undefined {
    const r = this.#db
      .prepare<[string], { id: string; name: string; created_at: number }>(
        'SELECT id, name, created_at FROM projects WHERE id = ?',
      )
      .get(id);
    return r ? { id: r.id, name: r.name, createdAt: r.created_at } : undefined;
  }

  async getProject(id: string): Promise<ProjectRecord | undefined> {
    return this.#project(id);
  }

  async addApiKey(k: ApiKeyRecord, hash: string): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO api_keys (id, project_id, name, prefix, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(k.id, k.projectId, k.name, k.prefix, hash, k.createdAt, k.revokedAt);
  }

  async hasApiKeyHash(hash: string): Promise<boolean> {
    return this.#db.prepare('SELECT 1 FROM api_keys WHERE hash = ?').get(hash) !== undefined;
  }

  async findApiKey(hash: string): Promise<{ projectId: string; keyId: string } | undefined> {
    const r = this.#db
      .prepare<[string], { id: string; project_id: string }>(
        'SELECT id, project_id FROM api_keys WHERE hash = ? AND revoked_at IS NULL',
      )
      .get(hash);
    return r ? { projectId: r.project_id, keyId: r.id } : undefined;
  }

  async listApiKeys(projectId: string): Promise<ApiKeyRecord[]> {
    return selectApiKeys(this.#db, projectId);
  }

  async revokeApiKey(projectId: string, id: string, now: number): Promise<ApiKeyRecord | undefined> {
    return this.#tx(() => revokeApiKeyInTx(this.#db, projectId, id, now));
  }

  async createWebhook(w: WebhookRecord): Promise<void> {
    this.#tx(() => insertWebhook(this.#db, w));
  }

  async getWebhook(projectId: string, id: string, now: number): Promise<WebhookRecord | undefined> {
    return selectWebhook(this.#db, projectId, id, now);
  }

  async listWebhooks(
    projectId: string,
    page: { pageSize: number; after?: { createdAt: number; id: string } },
    now: number,
  ): Promise<WebhookRecord[]> {
    return this.#tx(() => selectWebhooks(this.#db, projectId, page, now));
  }

  async updateWebhook(
    projectId: string,
    id: string,
    patch: WebhookPatch,
    now: number,
  ): Promise<WebhookRecord | undefined> {
    return this.#tx(() => patchWebhook(this.#db, projectId, id, patch, now));
  }

  async deleteWebhook(projectId: string, id: string, now: number): Promise<boolean> {
    return this.#tx(() => removeWebhook(this.#db, projectId, id, now));
  }

  async rotateSecret(
    projectId: string,
    id: string,
    input: RotateInput,
    now: number,
  ): Promise<WebhookRecord | undefined> {
    return this.#tx(() => rotate(this.#db, projectId, id, input, now));
  }

  async activeSecrets(webhookId: string, now: number) {
    return secretsOf(this.#db, webhookId, now);
  }

  setDirectDispatch(dispatch: DirectDispatch | undefined): void {
    this.#emitter.setDirectDispatch(dispatch);
  }

  async emitEvent(input: EmitInput): Promise<EmitResult> {
    return this.#emitter.emit(input);
  }

  async getEvent(projectId: string, id: string) {
    return selectEvent(this.#db, projectId, id);
  }

  async listEvents(projectId: string, q: { afterSequence: number; types?: string[]; pageSize: number }) {
    return selectEventsAfter(this.#db, projectId, q);
  }

  async claimDue(input: ClaimInput) {
    return this.#relaxed(() => this.#tx(() => claimDueInTx(this.#db, input)));
  }

  async completeAttempt(input: CompleteAttemptInput): Promise<void> {
    await this.#commits.attempts.run(() => completeAttemptInTx(this.#db, input));
  }

  async releaseExpiredLeases(now: number): Promise<number> {
    const n = this.#tx(() => releaseExpiredLeasesInTx(this.#db, now));
    if (n > 0) this.#wake();
    return n;
  }

  async purgeBefore(input: { before: number; limit: number }): Promise<PurgeResult> {
    return this.#tx(() => purgeBeforeInTx(this.#db, input.before, input.limit));
  }

  async nextDueAt(maxPerDestination: number): Promise<number | null> {
    return selectNextDueAt(this.#db, maxPerDestination);
  }

  async deliveryStats(): Promise<DeliveryStats> {
    return selectDeliveryStats(this.#db);
  }

  async getDelivery(projectId: string, id: string) {
    return this.#tx(() => selectDelivery(this.#db, projectId, id));
  }

  async listDeliveries(projectId: string, filter: DeliveryFilter) {
    return selectDeliveries(this.#db, projectId, filter);
  }

  async retryDelivery(projectId: string, id: string, now: number) {
    const d = this.#tx(() => markForRetry(this.#db, projectId, id, now));
    if (d) this.#wake();
    return d;
  }

  async replayWebhookDeliveries(input: ReplayInput): Promise<ReplayResult> {
    const r = this.#tx(() => replayWebhookDeliveriesInTx(this.#db, input));
    if (r.status === 'replayed' && r.replayed > 0) this.#wake();
    return r;
  }

  async deliveryOverview(projectId: string, q: DeliveryOverviewQuery): Promise<DeliveryOverview> {
    return this.#tx(() => selectDeliveryOverview(this.#db, projectId, q));
  }

  async listRecentEvents(projectId: string, q: RecentEventsQuery) {
    return selectRecentEvents(this.#db, projectId, q);
  }

  async activeSigningKey(alg: SigningAlgorithm): Promise<SigningKeyRecord | undefined> {
    return selectActiveSigningKey(this.#db, alg);
  }

  async listPublishedSigningKeys(now: number): Promise<SigningKeyRecord[]> {
    return selectPublishedSigningKeys(this.#db, now);
  }

  async insertSigningKeyIfNone(key: SigningKeyRecord): Promise<SigningKeyRecord> {
    return this.#tx(() => insertSigningKeyIfNone(this.#db, key));
  }

  async rotateSigningKey(key: SigningKeyRecord, publishUntil: number): Promise<SigningKeyRecord | undefined> {
    return this.#tx(() => rotateSigningKeyInTx(this.#db, key, publishUntil));
  }

  async getProjectSettings(projectId: string): Promise<ProjectSettings | undefined> {
    return selectProjectSettings(this.#db, projectId);
  }

  async updateProjectSettings(projectId: string, patch: ProjectSettingsPatch): Promise<ProjectSettings | undefined> {
    return this.#tx(() => updateProjectSettings(this.#db, projectId, patch));
  }

  // operations, leases and files (ports/operation-store.ts; statements in ./operations.ts)
  readonly #opListeners = new Set<(change: OperationChange) => void>();

  #opChanged(op: Pick<OperationRecord, 'projectId' | 'name' | 'kind'>, state: OperationChange['state']): void {
    for (const l of this.#opListeners) {
      try {
        l({ projectId: op.projectId, name: op.name, kind: op.kind, state });
      } catch {
        // A listener's failure must not fail the committed unit of work.
      }
    }
  }

  subscribeOperations(listener: (change: OperationChange) => void): () => void {
    this.#opListeners.add(listener);
    return () => this.#opListeners.delete(listener);
  }

  async createOperation(op: OperationRecord) {
    const r = this.#tx(() => insertOperationInTx(this.#db, op));
    if (!r.duplicate) this.#opChanged(op, op.state);
    return r;
  }

  async getOperation(projectId: string, name: string) {
    return selectOperation(this.#db, projectId, name);
  }

  async listOperations(projectId: string, q: OperationQuery) {
    return selectOperations(this.#db, projectId, q);
  }

  async leaseOperations(input: LeaseOperationsInput) {
    const ops = this.#tx(() => leaseOperationsInTx(this.#db, input));
    for (const op of ops) this.#opChanged(op, op.state);
    return ops;
  }

  async updateOperation(input: OperationUpdate) {
    const { result, deliveries } = this.#tx(() => updateOperationInTx(this.#db, input));
    if (deliveries > 0) this.#wake();
    if (result.ok) this.#opChanged(result.operation, result.operation.state);
    return result;
  }

  async deleteOperation(projectId: string, name: string) {
    const op = this.#tx(() => deleteOperationInTx(this.#db, projectId, name));
    if (op) this.#opChanged(op, 'deleted');
    return op !== undefined;
  }

  async expiredOperations(now: number, limit: number) {
    return selectExpiredOperations(this.#db, now, limit);
  }

  async nextOperationExpiry() {
    return selectNextExpiry(this.#db);
  }

  async recoverOperationLeases(ownerPrefix: string, now: number) {
    return this.#tx(() => recoverLeasesInTx(this.#db, ownerPrefix, now));
  }

  async createFile(file: FileRecord, content: Uint8Array) {
    this.#tx(() => insertFile(this.#db, file, content));
  }

  async getFile(projectId: string, name: string) {
    return selectFile(this.#db, projectId, name);
  }

  async getFileContent(projectId: string, name: string) {
    return selectFileContent(this.#db, projectId, name);
  }

  async listFiles(projectId: string, q: FileQuery) {
    return selectFiles(this.#db, projectId, q);
  }

  async deleteFile(projectId: string, name: string) {
    return this.#tx(() => deleteFileRow(this.#db, projectId, name));
  }
}
