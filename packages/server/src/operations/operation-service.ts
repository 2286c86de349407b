import { BASE36_LOWER, randomString } from '../kernel/random-id.js';
import type { Clock } from '../kernel/clock.js';
import { invalidArgument } from '../kernel/domain-errors.js';
import type {
  FileRecord,
  OperationError,
  OperationPatch,
  OperationProgress,
  OperationQuery,
  OperationRecord,
  OperationState,
  OperationWebhookConfig,
} from '../model/operation-records.js';
import type { OperationRepo } from '../ports/operation-repo.js';
import { operationNotFound, updateError } from './operation-errors.js';
import type { KindRegistry } from './kinds.js';
import { operationEvents } from './operation-events.js';
import { ACTIVE_STATES, TRANSITIONS } from './states.js';

export interface OperationServiceDeps {
  store: OperationRepo;
  clock: Clock;
  /** HERALD_TIME_SCALE: divides delivery windows. */
  timeScale: number;
  /** Built-in kinds and their events (custom kinds need no registration). */
  kinds: KindRegistry;
  /**
   * The per-project ingest rate limit (services/ingest-rate-limit.ts), shared with event emits:
   * every operation created counts one, whatever surface created it (the operations API, Gemini
   * batches, interactions, videos). Over it: ResourceExhausted (429 + Retry-After). Absent: none.
   */
  rateLimit?: { take(projectId: string, units: number): Promise<void> };
}

export interface CreateOperationInput {
  kind: string;
  metadata: Record<string, unknown>;
  webhookConfig?: OperationWebhookConfig | undefined;
  idempotencyKey?: string | undefined;
  /** Resource name and id; default `operations/{id}`. */
  name?: { name: string; id: string };
  /** Still pending or running this long after creation → `expired` (with its event). */
  expireInMs?: number;
}

/** How a leased operation ends (the in-process runner and the worker API use the same path). */
export type Outcome =
  | { state: 'succeeded'; result: unknown; files?: { file: FileRecord; content: Uint8Array }[] }
  | { state: 'requires_action'; result: unknown }
  | { state: 'failed'; error: OperationError; result?: unknown }
  | { state: 'expired' };

/**
 * The operations domain: every change is one conditional store update that commits the new
 * state with the events it fires. Input is validated by the caller; this layer enforces the
 * state machine and lease ownership and maps refusals to 404 / FAILED_PRECONDITION / ABORTED.
 */
export class OperationService {
  readonly #d: OperationServiceDeps;

  constructor(deps: OperationServiceDeps) {
    this.#d = deps;
  }

  /** Whether the operation exists in the project. */
  async exists(projectId: string, name: string): Promise<boolean> {
    return (await this.#d.store.getOperation(projectId, name)) !== undefined;
  }

  /** The built-in kinds this server runs (the Gemini surfaces), for pickers. */
  builtInKinds(): string[] {
    return this.#d.kinds.builtIn();
  }

  /** Creates a pending operation; the caller has validated `input`. Counts against the rate limit. */
  async create(projectId: string, input: CreateOperationInput) {
    await this.#d.rateLimit?.take(projectId, 1);
    const now = this.#d.clock.now();
    const id = input.name?.id ?? randomString(BASE36_LOWER, 24);
    const op: OperationRecord = {
      name: input.name?.name ?? `operations/${id}`,
      id,
      projectId,
      kind: input.kind,
      state: 'pending',
      metadata: input.metadata,
      progress: null,
      result: null,
      error: null,
      webhookConfig: input.webhookConfig ?? null,
      leaseId: null,
      leaseOwner: null,
      leaseUntil: null,
      attempt: 0,
      heartbeatAt: null,
      idempotencyKey: input.idempotencyKey ?? null,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      endedAt: null,
      expireAt: input.expireInMs !== undefined ? now + input.expireInMs : null,
    };
    return this.#d.store.createOperation(op);
  }

  async get(projectId: string, name: string): Promise<OperationRecord> {
    const op = await this.#d.store.getOperation(projectId, name);
    if (!op) throw operationNotFound(name);
    return op;
  }

  async list(projectId: string, q: OperationQuery): Promise<OperationRecord[]> {
    return this.#d.store.listOperations(projectId, q);
  }

  /** Moves the operation to `to` (with its events), if the state machine allows it from its current state. */
  async #transition(
    projectId: string,
    name: string,
    to: OperationState,
    set: OperationPatch,
    action: string,
    leaseId?: string,
  ): Promise<OperationRecord> {
    const now = this.#d.clock.now();
    const final = to !== 'running';
    const r = await this.#d.store.updateOperation({
      projectId,
      name,
      now,
      expect: { states: TRANSITIONS[to], ...(leaseId !== undefined ? { leaseId } : {}) },
      set: { ...set, state: to, ...(final ? { endedAt: now, releaseLease: true } : {}) },
      events: (op) => operationEvents(op, { kinds: this.#d.kinds, now, timeScale: this.#d.timeScale }),
    });
    if (!r.ok) throw updateError(r, name, action);
    return r.operation;
  }

  /** Cancels a pending or running operation; a finished one → FAILED_PRECONDITION. */
  async cancel(projectId: string, name: string): Promise<OperationRecord> {
    return this.#transition(projectId, name, 'cancelled', {}, 'cancel');
  }

  /** Expires a pending or running operation past its deadline (the expiry reaper). */
  async expire(projectId: string, name: string): Promise<OperationRecord> {
    return this.#transition(projectId, name, 'expired', {}, 'expire');
  }

  /** Deletes the record: the client has lost interest; no further events. Its events and files stay. */
  async delete(projectId: string, name: string): Promise<void> {
    if (!(await this.#d.store.deleteOperation(projectId, name))) throw operationNotFound(name);
  }

  async lease(input: { projectId?: string; kinds: string[]; max: number; leaseMs: number; owner: string }) {
    return this.#d.store.leaseOperations({
      ...input,
      now: this.#d.clock.now(),
      newLeaseId: () => `lease_${randomString(BASE36_LOWER, 24)}`,
    });
  }

  /** Extends the lease (and records the heartbeat). */
  async heartbeat(projectId: string, name: string, leaseId: string, leaseMs: number): Promise<OperationRecord> {
    const now = this.#d.clock.now();
    const r = await this.#d.store.updateOperation({
      projectId,
      name,
      now,
      expect: { states: ['running'], leaseId },
      set: { leaseUntil: now + leaseMs, heartbeatAt: now },
    });
    if (!r.ok) throw updateError(r, name, 'heartbeat');
    return r.operation;
  }

  /** Records progress; custom kinds also fire `operation.progress` (older pending ones are superseded). */
  async progress(projectId: string, name: string, leaseId: string, progress: OperationProgress) {
    if (!Number.isFinite(progress.percent) || progress.percent < 0 || progress.percent > 100)
      throw invalidArgument(`percent must be a number from 0 to 100, got ${String(progress.percent)}`);
    const now = this.#d.clock.now();
    const r = await this.#d.store.updateOperation({
      projectId,
      name,
      now,
      expect: { states: ['running'], leaseId },
      set: { progress, heartbeatAt: now },
      events: (op) => operationEvents(op, { kinds: this.#d.kinds, now, timeScale: this.#d.timeScale, progress: true }),
    });
    if (!r.ok) throw updateError(r, name, 'report progress on');
    return r.operation;
  }

  /** Ends a leased operation with `outcome`, its files and its events, in one transaction. */
  async finish(projectId: string, name: string, leaseId: string, outcome: Outcome): Promise<OperationRecord> {
    switch (outcome.state) {
      case 'succeeded':
        return this.#transitionWithFiles(projectId, name, leaseId, outcome);
      case 'requires_action':
        return this.#transition(projectId, name, 'requires_action', { result: outcome.result }, 'complete', leaseId);
      case 'failed':
        return this.#transition(
          projectId,
          name,
          'failed',
          { error: outcome.error, ...(outcome.result !== undefined ? { result: outcome.result } : {}) },
          'fail',
          leaseId,
        );
      case 'expired':
        return this.#transition(projectId, name, 'expired', {}, 'expire', leaseId);
    }
  }

  async #transitionWithFiles(
    projectId: string,
    name: string,
    leaseId: string,
    outcome: Extract<Outcome, { state: 'succeeded' }>,
  ): Promise<OperationRecord> {
    const now = this.#d.clock.now();
    const r = await this.#d.store.updateOperation({
      projectId,
      name,
      now,
      expect: { states: TRANSITIONS.succeeded, leaseId },
      set: { state: 'succeeded', result: outcome.result, endedAt: now, releaseLease: true },
      ...(outcome.files ? { files: outcome.files } : {}),
      events: (op) => operationEvents(op, { kinds: this.#d.kinds, now, timeScale: this.#d.timeScale }),
    });
    if (!r.ok) throw updateError(r, name, 'complete');
    return r.operation;
  }

  /**
   * Hands a leased operation back (clean shutdown): it stays running, is due for a new lease now,
   * and the run it gave up does not count as an attempt.
   */
  async release(projectId: string, name: string, leaseId: string): Promise<void> {
    const now = this.#d.clock.now();
    await this.#d.store.updateOperation({
      projectId,
      name,
      now,
      expect: { states: ACTIVE_STATES, leaseId },
      set: { handBack: true },
    });
  }
}
