import type {
  FileRecord,
  OperationError,
  OperationProgress,
  OperationRecord,
  OperationState,
  OperationWebhookConfig,
} from '../../model/operation-records.js';

/** Row shapes of `operations` and `files` as SQLite returns them, and their mapping to records. */
export interface OperationRow {
  name: string;
  id: string;
  project_id: string;
  kind: string;
  state: string;
  metadata: string;
  progress: string | null;
  result: string | null;
  error: string | null;
  webhook_config: string | null;
  lease_id: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  attempt: number;
  heartbeat_at: number | null;
  idempotency_key: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  ended_at: number | null;
  expire_at: number | null;
}

export interface FileRow {
  name: string;
  project_id: string;
  display_name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  operation: string | null;
  created_at: number;
  expire_at: number | null;
}

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

export function toOperation(r: OperationRow): OperationRecord {
  return {
    name: r.name,
    id: r.id,
    projectId: r.project_id,
    kind: r.kind,
    state: r.state as OperationState,
    metadata: JSON.parse(r.metadata) as Record<string, unknown>,
    progress: parse<OperationProgress>(r.progress),
    result: parse<unknown>(r.result),
    error: parse<OperationError>(r.error),
    webhookConfig: parse<OperationWebhookConfig>(r.webhook_config),
    leaseId: r.lease_id,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
    attempt: r.attempt,
    heartbeatAt: r.heartbeat_at,
    idempotencyKey: r.idempotency_key,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    expireAt: r.expire_at,
  };
}

export function toOperationRow(op: OperationRecord): OperationRow {
  return {
    name: op.name,
    id: op.id,
    project_id: op.projectId,
    kind: op.kind,
    state: op.state,
    metadata: JSON.stringify(op.metadata),
    progress: json(op.progress),
    result: json(op.result),
    error: json(op.error),
    webhook_config: json(op.webhookConfig),
    lease_id: op.leaseId,
    lease_owner: op.leaseOwner,
    lease_until: op.leaseUntil,
    attempt: op.attempt,
    heartbeat_at: op.heartbeatAt,
    idempotency_key: op.idempotencyKey,
    created_at: op.createdAt,
    updated_at: op.updatedAt,
    started_at: op.startedAt,
    ended_at: op.endedAt,
    expire_at: op.expireAt,
  };
}

export function toFile(r: FileRow): FileRecord {
  return {
    name: r.name,
    projectId: r.project_id,
    displayName: r.display_name,
    mimeType: r.mime_type,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    operation: r.operation,
    createdAt: r.created_at,
    expireAt: r.expire_at,
  };
}

/** The values of a files INSERT (the content as base64), in column order. */
export function fileInsertParams(f: FileRecord, content: Uint8Array): unknown[] {
  return [
    f.name,
    f.projectId,
    f.displayName,
    f.mimeType,
    f.sizeBytes,
    f.sha256,
    f.operation,
    Buffer.from(content).toString('base64'),
    f.createdAt,
    f.expireAt,
  ];
}

export const FILE_COLUMNS =
  'name, project_id, display_name, mime_type, size_bytes, sha256, operation, created_at, expire_at';
