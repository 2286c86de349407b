import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from '../migrate.js';
import type {
  FileRecord,
  LeaseOperationsInput,
  OperationChange,
  OperationQuery,
  OperationRecord,
  OperationUpdate,
} from '../operation-records.js';
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
  ClaimedDelivery,
  CompleteAttemptInput,
  DeliveryFilter,
  EmitInput,
  EmitResult,
  ProjectRecord,
  RotateInput,
  WebhookPatch,
  WebhookRecord,
} from '../records.js';
import type { ClaimInput, DeliveryStats, PurgeResult, Store } from '../store.js';
import { revokeApiKeyInTx, selectApiKeys } from './api-keys.js';
import { claimDueInTx } from './claim-due.js';
import { completeAttemptInTx, releaseExpiredLeasesInTx, releaseLeasesInTx } from './complete-attempt.js';
import { markForRetry, selectDeliveries, selectDelivery, selectDeliveryStats, selectNextDueAt } from './deliveries.js';
import { emitEventInTx, type SqliteEmitResult } from './emit-event.js';
import type { DirectDispatch } from '../direct-dispatch.js';
import { selectEvent, selectEventsAfter } from './events.js';
import { GroupCommit } from './group-commit.js';
import { WalSync } from './wal-sync.js';
import type { DeliveryOverview, DeliveryOverviewQuery, RecentEventsQuery } from '../overview-records.js';
import type { ReplayInput, ReplayResult } from '../replay-records.js';
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
import type { SigningAlgorithm } from '../../signing/signing-keys.js';
import type { EventNotice } from '../event-notice.js';
import type { ProjectSettings, SigningKeyRecord } from '../signing-records.js';
import { takeEventNotices } from './event-notices.js';
import { selectProjectSettings, updateProjectSettings } from './project-settings.js';
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
  readonly #group: GroupCommit;
  /** The configured `synchronous` level of event commits. */
  readonly #durable: 'FULL' | 'NORMAL';
  /** Attempt records commit without waiting for the disk (see #relaxed). */
  readonly #attemptGroup: GroupCommit;
  /** Makes event commits durable off the event loop (absent at `synchronous=NORMAL`). */
  readonly #walSync: WalSync | undefined;
  readonly #listeners = new Set<() => void>();
  /** The engine taking direct dispatch, and how many leases emits hold for it before their fsync. */
  #dispatch: DirectDispatch | undefined;
  #reserved = 0;
  readonly #eventListeners = new Set<(notice: EventNotice) => void>();

  private constructor(db: SqliteDatabase, durable: 'FULL' | 'NORMAL') {
    this.#db = db;
    this.#durable = durable;
    const walSync = durable === 'FULL' && !db.memory ? new WalSync(`${db.name}-wal`) : undefined;
    this.#walSync = walSync;
    // Events: committed at NORMAL, then fsynced on the thread pool; their notices and their
    // callers (the API's 200, the engine's wake-up) wait for the fsync. Accepted means durable.
    this.#group = walSync
      ? new GroupCommit(db, (fn) => this.#relaxed(() => this.#commitQuietly(fn)), { durable: () => walSync.sync() })
      : new GroupCommit(db, (fn) => {
          this.#tx(fn);
          return undefined;
        });
    const relaxedCommit = (fn: () => void) => {
      this.#relaxed(() => this.#tx(fn));
      return undefined;
    };
    this.#attemptGroup = new GroupCommit(db, relaxedCommit, { maxUnits: 64 });
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

  /**
   * Runs a commit at `synchronous=NORMAL` (no fsync; WAL still makes it crash-safe for the
   * process, only a power cut can drop it). Used for claims and attempt records, where losing
   * the last commits costs a duplicate, never a loss: every lease is released at open, and a
   * lost attempt record means the same delivery (same webhook-id) is sent again. Events are
   * accepted only after WalSync's fsync (or a FULL commit), which also covers earlier NORMAL frames.
   */
  #relaxed<T>(fn: () => T): T {
    if (this.#durable === 'NORMAL') return fn();
    this.#db.pragma('synchronous = NORMAL');
    try {
      return fn();
    } finally {
      this.#db.pragma(`synchronous = ${this.#durable}`);
    }
  }

  #tx<T>(fn: () => T): T {
    let result: T;
    try {
      result = this.#db.transaction(fn).immediate();
    } catch (err) {
      takeEventNotices(this.#db); // rolled back: nothing to announce
      throw err;
    }
    this.#announce(takeEventNotices(this.#db));
    return result;
  }

  /** Commits like #tx, and returns the announcement of what it committed instead of making it. */
  #commitQuietly(fn: () => void): () => void {
    try {
      this.#db.transaction(fn).immediate();
    } catch (err) {
      takeEventNotices(this.#db);
      throw err;
    }
    const notices = takeEventNotices(this.#db);
    return () => this.#announce(notices);
  }

  #announce(notices: EventNotice[]): void {
    for (const n of notices) {
      for (const l of this.#eventListeners) {
        try {
          l(n);
        } catch {
          // A listener's failure must not fail the committed unit of work.
        }
      }
    }
  }

  subscribeEvents(listener: (notice: EventNotice) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
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
    this.#group.flush();
    this.#attemptGroup.flush();
    await this.#walSync?.close();
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
    this.#dispatch = dispatch;
  }

  async emitEvent(input: EmitInput): Promise<EmitResult> {
    let dispatch: DirectDispatch | undefined;
    let reserved = 0;
    let result: SqliteEmitResult;
    try {
      result = await this.#group.run(() => {
        // Read when the unit runs (in commit order), not when it was queued.
        dispatch = this.#dispatch;
        const room = dispatch ? dispatch.room() - this.#reserved : 0;
        const lease = dispatch && room > 0 ? { ...dispatch, room } : undefined;
        const r = emitEventInTx(this.#db, input, lease);
        reserved = r.direct.length;
        this.#reserved += reserved;
        return r;
      });
    } finally {
      this.#reserved -= reserved;
    }
    const { direct, ...emitted } = result;
    if (direct.length > 0) this.#handOver(direct, dispatch!, input.createdAt);
    if (!emitted.duplicate && emitted.event.deliveryCount > direct.length) this.#wake();
    return emitted;
  }

  /** Gives directly leased deliveries to their engine, or back to the queue if it has left. */
  #handOver(direct: ClaimedDelivery[], dispatch: DirectDispatch, now: number): void {
    if (this.#dispatch === dispatch) {
      dispatch.accept(direct);
      return;
    }
    if (!this.#db.open) return; // released at the next open
    const ids = direct.map((d) => d.id);
    if (this.#tx(() => releaseLeasesInTx(this.#db, ids, dispatch.owner, now)) > 0) this.#wake();
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
    await this.#attemptGroup.run(() => completeAttemptInTx(this.#db, input));
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

  async updateProjectSettings(
    projectId: string,
    patch: Partial<ProjectSettings>,
  ): Promise<ProjectSettings | undefined> {
    return this.#tx(() => updateProjectSettings(this.#db, projectId, patch));
  }

  // operations, leases and files (store/operation-store.ts; statements in ./operations.ts)
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
}
