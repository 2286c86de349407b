import type { OperationState } from '@herald/contracts';
import type { EmitInput, EpochMs } from './records.js';

/**
 * Where an operation is in its life. Every kind uses a subset (see operations/states.ts):
 * `pending → running → succeeded | failed | cancelled | expired`, plus `requires_action`
 * (interactions waiting on a function result). Every state but pending and running is final.
 */
export type { OperationState };

/** `code` is a google.rpc code (a number) or a caller's own string code. */
export interface OperationError {
  code: number | string;
  message: string;
}

export interface OperationProgress {
  percent: number;
  message: string;
  data?: unknown;
}

/** A per-request `webhook_config`: `uris` replace the static webhooks for this operation. */
export interface OperationWebhookConfig {
  uris?: string[];
  userMetadata?: Record<string, unknown>;
}

export interface OperationRecord {
  /** Resource name: `operations/{id}`, `batches/{id}`, `models/{m}/operations/{id}`, `interactions/{id}`. */
  name: string;
  id: string;
  projectId: string;
  kind: string;
  state: OperationState;
  /** The request (custom `metadata`, or the normalized Gemini request). */
  metadata: Record<string, unknown>;
  progress: OperationProgress | null;
  result: unknown;
  error: OperationError | null;
  webhookConfig: OperationWebhookConfig | null;
  leaseId: string | null;
  leaseOwner: string | null;
  leaseUntil: EpochMs | null;
  /** How many times the operation was leased. */
  attempt: number;
  heartbeatAt: EpochMs | null;
  idempotencyKey: string | null;
  createdAt: EpochMs;
  updatedAt: EpochMs;
  startedAt: EpochMs | null;
  endedAt: EpochMs | null;
  /** Still pending or running at this instant → `expired` (batches: 48 h). */
  expireAt: EpochMs | null;
}

/** A stored file (Gemini Files API): batch output JSONL, simulated videos. */
export interface FileRecord {
  /** `files/{id}`. */
  name: string;
  projectId: string;
  displayName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  /** The operation that produced it. */
  operation: string | null;
  createdAt: EpochMs;
  expireAt: EpochMs | null;
}

export interface OperationQuery {
  kinds?: string[];
  states?: OperationState[];
  pageSize: number;
  /** Newest first: return operations that sort before this cursor. */
  before?: { createdAt: EpochMs; name: string };
}

export interface LeaseOperationsInput {
  /** Only this project's operations (worker API); all projects when absent (in-process runner). */
  projectId?: string;
  kinds: string[];
  max: number;
  now: EpochMs;
  leaseMs: number;
  owner: string;
  newLeaseId: () => string;
}

/** Fields an update may set; `undefined` leaves a field as it is. */
export interface OperationPatch {
  state?: OperationState;
  progress?: OperationProgress | null;
  result?: unknown;
  error?: OperationError | null;
  /** Extends the current lease to this instant. */
  leaseUntil?: EpochMs;
  /** Drops the lease (on a final state). */
  releaseLease?: boolean;
  /**
   * A clean shutdown hands the run back: the lease is dropped and the run is not counted as an
   * attempt, so rolling restarts never use up the cap meant for crashes.
   */
  handBack?: boolean;
  heartbeatAt?: EpochMs;
  endedAt?: EpochMs;
  metadata?: Record<string, unknown>;
}

/**
 * One conditional change of an operation, written with its events and files in ONE transaction.
 * The change applies only when the operation is in one of `expect.states` and, when
 * `expect.leaseId` is set, is held under that unexpired lease.
 */
export interface OperationUpdate {
  projectId: string;
  name: string;
  now: EpochMs;
  expect: { states: readonly OperationState[]; leaseId?: string };
  set: OperationPatch;
  /** Files created with the change (batch output, videos). */
  files?: { file: FileRecord; content: Uint8Array }[];
  /** The events of the change, built from the operation as updated. */
  events?: (updated: OperationRecord) => EmitInput[];
}

export type OperationUpdateResult =
  | { ok: true; operation: OperationRecord }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'state' | 'lease'; operation: OperationRecord };

/** Sent to in-process listeners after a commit that changed an operation. */
export interface OperationChange {
  projectId: string;
  name: string;
  kind: string;
  /** `deleted` when the operation was removed. */
  state: OperationState | 'deleted';
}
