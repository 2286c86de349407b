import { Kysely, PostgresDialect } from 'kysely';
import type { QueryResultRow } from 'pg';
import type { SigningAlgorithm } from '../../signing/signing-keys.js';
import type { EventNotice } from '../event-notice.js';
import { migrateToLatest } from '../migrate.js';
import type {
  FileRecord,
  LeaseOperationsInput,
  OperationChange,
  OperationQuery,
  OperationRecord,
  OperationUpdate,
} from '../operation-records.js';
import type { DeliveryOverview, DeliveryOverviewQuery, RecentEventsQuery } from '../overview-records.js';
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
} from '../records.js';
import type { ReplayInput, ReplayResult } from '../replay-records.js';
import type { ProjectSettings, SigningKeyRecord } from '../signing-records.js';
import { toEvent, type EventRow } from '../sqlite/rows.js';
import type { ClaimInput, DeliveryStats, PurgeResult, Store } from '../store.js';
import { revokeApiKeyInTx, selectApiKeys } from './api-keys.js';
import { CHANNELS, parseEventNotice, parseOperationChange } from './channels.js';
import { claimDueInTx } from './claim-due.js';
import { completeAttemptInTx, releaseExpiredLeasesInTx } from './complete-attempt.js';
import { markForRetry, selectDeliveries, selectDelivery } from './deliveries.js';
import { emitEventInTx, prepareEmit, writeEmit, type PreparedEmit } from './emit-event.js';
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
import { createPool, inTx, type PgPool, type Tx } from './pg-database.js';
import { PgListener } from './pg-listener.js';
import { purgeBeforeInTx } from './purge.js';
import {
  insertSigningKeyIfNone,
  rotateSigningKeyInTx,
  selectActiveSigningKey,
  selectDeliveryOverview,
  selectProjectSettings,
  selectPublishedSigningKeys,
  selectRecentEvents,
} from './reads.js';
import { replayWebhookDeliveriesInTx } from './replay.js';
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
  readonly #listener: PgListener;
  readonly #listeners = new Set<() => void>();
  readonly #eventListeners = new Set<(notice: EventNotice) => void>();
  readonly #opListeners = new Set<(change: OperationChange) => void>();
  readonly #poll: NodeJS.Timeout;
  #closed = false;

  private constructor(pool: PgPool, connectionString: string, opts: PostgresStoreOptions) {
    this.#pool = pool;
    this.#listener = new PgListener({
      connectionString,
      channels: Object.values(CHANNELS),
      onNotification: (channel, payload) => this.#dispatch(channel, payload),
      onReconnect: () => void this.#catchUp(),
      ...(opts.onListenerError ? { onError: opts.onListenerError } : {}),
    });
    this.#poll = setInterval(() => this.#wake(), opts.pollMs ?? 2000);
    this.#poll.unref();
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
      await store.#listener.start();
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
  get #reader(): Pick<Tx, 'rows' | 'one'> {
    const pool = this.#pool;
    return {
      async rows<R extends QueryResultRow>(text: string, values: readonly unknown[] = []) {
        return (await pool.query<R>(text, values as unknown[])).rows;
      },
      async one<R extends QueryResultRow>(text: string, values: readonly unknown[] = []) {
        return (await pool.query<R>(text, values as unknown[])).rows[0];
      },
    };
  }

  #dispatch(channel: string, payload: string): void {
    if (channel === CHANNELS.wake) this.#wake();
    else if (channel === CHANNELS.events) {
      const n = parseEventNotice(payload);
      if (n) this.#announce(n);
    } else if (channel === CHANNELS.operations) {
      const c = parseOperationChange(payload);
      if (c) for (const l of this.#opListeners) safely(() => l(c));
    }
  }

  #wake(): void {
    for (const l of this.#listeners) safely(l);
  }

  #announce(n: EventNotice): void {
    for (const l of this.#eventListeners) safely(() => l(n));
  }

  /** After the LISTEN connection came back: wake everyone, as notifications may have been missed. */
  async #catchUp(): Promise<void> {
    this.#wake();
    if (this.#eventListeners.size === 0) return;
    try {
      const rows = await this.#reader.rows<{ id: string; event_seq: number }>(
        'SELECT id, event_seq FROM projects WHERE event_seq > 0',
      );
      for (const r of rows) this.#announce({ projectId: r.id, sequence: r.event_seq });
    } catch {
      // The next notification or reconnect tries again.
    }
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  subscribeEvents(listener: (notice: EventNotice) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  subscribeOperations(listener: (change: OperationChange) => void): () => void {
    this.#opListeners.add(listener);
    return () => this.#opListeners.delete(listener);
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
    clearInterval(this.#poll);
    await this.#listener.close();
    await this.#pool.end();
  }

  // projects and keys
  async ensureProject(p: ProjectRecord): Promise<ProjectRecord> {
    return this.#tx(async (tx) => {
      await tx.run('INSERT INTO projects (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
        p.id,
        p.name,
        p.createdAt,
      ]);
      return (await this.#project(tx, p.id))!;
    });
  }

  async #project(tx: Pick<Tx, 'one'>, id: string): Promise<ProjectRecord | undefined> {
    const r = await tx.one<{ id: string; name: string; created_at: number }>(
      'SELECT id, name, created_at FROM projects WHERE id = $1',
      [id],
    );
    return r ? { id: r.id, name: r.name, createdAt: r.created_at } : undefined;
  }

  async getProject(id: string): Promise<ProjectRecord | undefined> {
    return this.#project(this.#reader, id);
  }

  async addApiKey(k: ApiKeyRecord, hash: string): Promise<void> {
    await this.#tx((tx) =>
      tx.run(
        // Processes starting together with the same HERALD_API_KEY both try to add it: one wins.
        `INSERT INTO api_keys (id, project_id, name, prefix, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (hash) DO NOTHING`,
        [k.id, k.projectId, k.name, k.prefix, hash, k.createdAt, k.revokedAt],
      ),
    );
  }

  async hasApiKeyHash(hash: string): Promise<boolean> {
    return (await this.#reader.one('SELECT 1 AS ok FROM api_keys WHERE hash = $1', [hash])) !== undefined;
  }

  async findApiKey(hash: string): Promise<{ projectId: string; keyId: string } | undefined> {
    const r = await this.#reader.one<{ id: string; project_id: string }>(
      'SELECT id, project_id FROM api_keys WHERE hash = $1 AND revoked_at IS NULL',
      [hash],
    );
    return r ? { projectId: r.project_id, keyId: r.id } : undefined;
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
  readonly #emits: { input: EmitInput; resolve: (r: EmitResult) => void; reject: (e: unknown) => void }[] = [];
  #flushers = 0;

  /**
   * Group commit: emits waiting while another batch commits share the next transaction (one
   * project-row lock and one commit for up to 64 events), so a busy project is not limited to
   * one event per commit. If a batch fails, its emits are rerun one per transaction, so each
   * caller gets its own result or error.
   */
  async emitEvent(input: EmitInput): Promise<EmitResult> {
    return new Promise<EmitResult>((resolve, reject) => {
      this.#emits.push({ input, resolve, reject });
      if (this.#flushers < 4) void this.#flushEmits();
    });
  }

  async #flushEmits(): Promise<void> {
    this.#flushers++;
    try {
      while (this.#emits.length > 0) {
        const batch = this.#emits.splice(0, 64);
        let results: EmitResult[] | undefined;
        if (batch.length > 1) {
          try {
            results = await this.#tx(async (tx) => {
              // Every read first, then one statement per event under the project row lock.
              const prepared: PreparedEmit[] = [];
              for (const item of batch) prepared.push(await prepareEmit(tx, item.input));
              const out: EmitResult[] = [];
              for (const p of prepared) out.push(await writeEmit(tx, p));
              return out;
            });
          } catch {
            results = undefined; // rerun one by one below
          }
        }
        if (results) {
          batch.forEach((item, i) => item.resolve(results[i]!));
          continue;
        }
        await Promise.all(
          batch.map((item) =>
            // A concurrent emit with the same idempotency key loses on the unique index; the
            // rerun returns the winner's event as a duplicate.
            this.#tx((tx) => emitEventInTx(tx, item.input), {
              retryOnUnique: item.input.idempotencyKey !== undefined,
            }).then(item.resolve, item.reject),
          ),
        );
      }
    } finally {
      this.#flushers--;
    }
  }

  async getEvent(projectId: string, id: string) {
    const r = await this.#reader.one<EventRow>('SELECT * FROM events WHERE id = $1 AND project_id = $2', [
      id,
      projectId,
    ]);
    return r ? toEvent(r) : undefined;
  }

  async listEvents(projectId: string, q: { afterSequence: number; types?: string[]; pageSize: number }) {
    const types = q.types && q.types.length > 0 ? q.types : undefined;
    const rows = await this.#reader.rows<EventRow>(
      `SELECT * FROM events WHERE project_id = $1 AND sequence > $2${types ? ' AND type = ANY($4::text[])' : ''}
       ORDER BY sequence LIMIT $3`,
      types ? [projectId, q.afterSequence, q.pageSize, types] : [projectId, q.afterSequence, q.pageSize],
    );
    return rows.map(toEvent);
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
    const r = await this.#reader.one<{ next_due_at: number }>(
      'SELECT next_due_at FROM destinations WHERE next_due_at IS NOT NULL AND in_flight < $1 ORDER BY next_due_at LIMIT 1',
      [maxPerDestination],
    );
    return r ? r.next_due_at : null;
  }

  async deliveryStats(): Promise<DeliveryStats> {
    const counts = await this.#reader.rows<{ status: string; n: number; oldest: number | null }>(
      `SELECT status, count(*) AS n, min(created_at) AS oldest FROM deliveries
       WHERE status IN ('pending', 'in_flight') GROUP BY status`,
    );
    const disabled = await this.#reader.one<{ n: number }>(
      "SELECT count(*) AS n FROM webhooks WHERE state = 'disabled_due_to_failed_deliveries'",
    );
    const oldest = counts.map((c) => c.oldest).filter((o): o is number => o !== null);
    return {
      pending: counts.find((c) => c.status === 'pending')?.n ?? 0,
      inFlight: counts.find((c) => c.status === 'in_flight')?.n ?? 0,
      oldestPendingCreatedAt: oldest.length > 0 ? Math.min(...oldest) : null,
      disabledWebhooks: disabled?.n ?? 0,
    };
  }

  // deliveries: the API's side
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

  async updateProjectSettings(
    projectId: string,
    patch: Partial<ProjectSettings>,
  ): Promise<ProjectSettings | undefined> {
    return this.#tx(async (tx) => {
      if (patch.dynamicSigning !== undefined) {
        await tx.run('UPDATE projects SET dynamic_signing = $1 WHERE id = $2', [patch.dynamicSigning, projectId]);
      }
      return selectProjectSettings(tx, projectId);
    });
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
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A listener's failure must not fail the committed unit of work nor the other listeners.
  }
}
