import type {
  FileRecord,
  LeaseOperationsInput,
  OperationQuery,
  OperationRecord,
  OperationUpdate,
  OperationUpdateResult,
} from '../../model/operation-records.js';
import { toFile, toOperation, toOperationRow, type FileRow, type OperationRow } from '../rows/operation-rows.js';
import { notifyOperation } from './channels.js';
import { emitEventInTx } from './emit-event.js';
import type { Tx } from './pg-database.js';

/**
 * Operation statements for PostgreSQL. Each writer runs inside the store's transaction, so a
 * state change, its files and its events (with their deliveries) commit together or not at all,
 * and every change is announced to all processes (`herald_operations`) at commit.
 */
type Reader = Pick<Tx, 'rows' | 'one'>;

const COLUMNS = [
  'name',
  'id',
  'project_id',
  'kind',
  'state',
  'metadata',
  'progress',
  'result',
  'error',
  'webhook_config',
  'lease_id',
  'lease_owner',
  'lease_until',
  'attempt',
  'heartbeat_at',
  'idempotency_key',
  'created_at',
  'updated_at',
  'started_at',
  'ended_at',
  'expire_at',
] as const satisfies readonly (keyof OperationRow)[];

const INSERT = `INSERT INTO operations (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;

const UPDATABLE = [
  'state',
  'metadata',
  'progress',
  'result',
  'error',
  'lease_id',
  'lease_owner',
  'lease_until',
  'attempt',
  'heartbeat_at',
  'updated_at',
  'started_at',
  'ended_at',
] as const satisfies readonly (keyof OperationRow)[];

const UPDATE = `UPDATE operations SET ${UPDATABLE.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE name = $1`;

async function writeOperation(tx: Tx, op: OperationRecord): Promise<void> {
  const row = toOperationRow(op);
  await tx.run(UPDATE, [row.name, ...UPDATABLE.map((c) => row[c])]);
}

export async function selectOperation(
  tx: Reader,
  projectId: string,
  name: string,
  lock = false,
): Promise<OperationRecord | undefined> {
  const row = await tx.one<OperationRow>(
    `SELECT * FROM operations WHERE name = $1 AND project_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [name, projectId],
  );
  return row ? toOperation(row) : undefined;
}

export async function insertOperationInTx(
  tx: Tx,
  op: OperationRecord,
): Promise<{ operation: OperationRecord; duplicate: boolean }> {
  if (op.idempotencyKey !== null) {
    const row = await tx.one<OperationRow>('SELECT * FROM operations WHERE project_id = $1 AND idempotency_key = $2', [
      op.projectId,
      op.idempotencyKey,
    ]);
    if (row) return { operation: toOperation(row), duplicate: true };
  }
  const row = toOperationRow(op);
  await tx.run(
    INSERT,
    COLUMNS.map((c) => row[c]),
  );
  notifyOperation(tx, { projectId: op.projectId, name: op.name, kind: op.kind, state: op.state });
  return { operation: op, duplicate: false };
}

export async function selectOperations(tx: Reader, projectId: string, q: OperationQuery): Promise<OperationRecord[]> {
  const where = ['project_id = $1'];
  const args: unknown[] = [projectId];
  const next = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  if (q.kinds && q.kinds.length > 0) where.push(`kind = ANY(${next(q.kinds)}::text[])`);
  if (q.states && q.states.length > 0) where.push(`state = ANY(${next(q.states)}::text[])`);
  if (q.before) {
    const at = next(q.before.createdAt);
    where.push(`(created_at < ${at} OR (created_at = ${at} AND name < ${next(q.before.name)}))`);
  }
  const rows = await tx.rows<OperationRow>(
    `SELECT * FROM operations WHERE ${where.join(' AND ')} ORDER BY created_at DESC, name DESC LIMIT ${next(q.pageSize)}`,
    args,
  );
  return rows.map(toOperation);
}

/**
 * Leases up to `max` operations, oldest first. Rows are taken `FOR UPDATE SKIP LOCKED`: two
 * workers (or processes) leasing at once never get the same operation, and never wait on each
 * other; the new lease id makes any report from an earlier holder fail its lease check.
 */
export async function leaseOperationsInTx(tx: Tx, input: LeaseOperationsInput): Promise<OperationRecord[]> {
  if (input.kinds.length === 0 || input.max <= 0) return [];
  const { now } = input;
  const args: unknown[] = [input.kinds, now, input.max];
  let scope = '';
  if (input.projectId !== undefined) {
    args.push(input.projectId);
    scope = ` AND project_id = $${args.length}`;
  }
  const rows = await tx.rows<OperationRow>(
    `SELECT * FROM operations WHERE kind = ANY($1::text[])
     AND (state = 'pending' OR (state = 'running' AND (lease_until IS NULL OR lease_until <= $2)))
     AND (expire_at IS NULL OR expire_at > $2)${scope}
     ORDER BY created_at, name LIMIT $3
     FOR UPDATE SKIP LOCKED`,
    args,
  );
  const leased: OperationRecord[] = [];
  for (const row of rows) {
    const op = toOperation(row);
    const next: OperationRecord = {
      ...op,
      state: 'running',
      leaseId: input.newLeaseId(),
      leaseOwner: input.owner,
      leaseUntil: now + input.leaseMs,
      attempt: op.attempt + 1,
      heartbeatAt: now,
      updatedAt: now,
      startedAt: op.startedAt ?? now,
    };
    await writeOperation(tx, next);
    notifyOperation(tx, { projectId: next.projectId, name: next.name, kind: next.kind, state: next.state });
    leased.push(next);
  }
  return leased;
}

/** Applies a conditional change with its files and events, under a row lock. */
export async function updateOperationInTx(tx: Tx, input: OperationUpdate): Promise<OperationUpdateResult> {
  // Events lock the project row (lock order: project → operation would be safer, but the
  // project lock is only taken when events are emitted, after the operation row; emits never
  // lock operation rows, so no cycle forms).
  const op = await selectOperation(tx, input.projectId, input.name, true);
  if (!op) return { ok: false, reason: 'not_found' };
  if (!input.expect.states.includes(op.state)) return { ok: false, reason: 'state', operation: op };
  const lease = input.expect.leaseId;
  if (lease !== undefined && (op.leaseId !== lease || (op.leaseUntil ?? 0) <= input.now)) {
    return { ok: false, reason: 'lease', operation: op };
  }
  const s = input.set;
  const next: OperationRecord = {
    ...op,
    state: s.state ?? op.state,
    metadata: s.metadata ?? op.metadata,
    progress: s.progress !== undefined ? s.progress : op.progress,
    result: s.result !== undefined ? s.result : op.result,
    error: s.error !== undefined ? s.error : op.error,
    leaseUntil: s.leaseUntil ?? op.leaseUntil,
    heartbeatAt: s.heartbeatAt ?? op.heartbeatAt,
    endedAt: s.endedAt ?? op.endedAt,
    updatedAt: input.now,
  };
  if (s.releaseLease || s.handBack) {
    next.leaseId = null;
    next.leaseOwner = null;
    next.leaseUntil = null;
  }
  if (s.handBack) next.attempt = Math.max(0, op.attempt - 1);
  await writeOperation(tx, next);
  for (const f of input.files ?? []) await insertFile(tx, f.file, f.content);
  for (const ev of input.events?.(next) ?? []) await emitEventInTx(tx, ev);
  notifyOperation(tx, { projectId: next.projectId, name: next.name, kind: next.kind, state: next.state });
  return { ok: true, operation: next };
}

export async function deleteOperationInTx(
  tx: Tx,
  projectId: string,
  name: string,
): Promise<OperationRecord | undefined> {
  const op = await selectOperation(tx, projectId, name, true);
  if (op) {
    await tx.run('DELETE FROM operations WHERE name = $1', [name]);
    notifyOperation(tx, { projectId, name, kind: op.kind, state: 'deleted' });
  }
  return op;
}

export async function selectExpiredOperations(tx: Reader, now: number, limit: number): Promise<OperationRecord[]> {
  const rows = await tx.rows<OperationRow>(
    `SELECT * FROM operations WHERE state IN ('pending', 'running') AND expire_at IS NOT NULL AND expire_at <= $1
     ORDER BY expire_at, name LIMIT $2`,
    [now, limit],
  );
  return rows.map(toOperation);
}

export async function selectNextExpiry(tx: Reader): Promise<number | null> {
  const r = await tx.one<{ at: number | null }>(
    `SELECT min(expire_at) AS at FROM operations WHERE state IN ('pending', 'running') AND expire_at IS NOT NULL`,
  );
  return r?.at ?? null;
}

export async function insertFile(tx: Tx, f: FileRecord, content: Uint8Array): Promise<void> {
  await tx.run(
    `INSERT INTO files (name, project_id, display_name, mime_type, size_bytes, sha256, operation, content_b64, created_at, expire_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
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
    ],
  );
}

export async function selectFile(tx: Reader, projectId: string, name: string): Promise<FileRecord | undefined> {
  const row = await tx.one<FileRow>(
    `SELECT name, project_id, display_name, mime_type, size_bytes, sha256, operation, created_at, expire_at
     FROM files WHERE name = $1 AND project_id = $2`,
    [name, projectId],
  );
  return row ? toFile(row) : undefined;
}

export async function selectFileContent(tx: Reader, projectId: string, name: string): Promise<Uint8Array | undefined> {
  const row = await tx.one<{ content_b64: string }>(
    'SELECT content_b64 FROM files WHERE name = $1 AND project_id = $2',
    [name, projectId],
  );
  return row ? new Uint8Array(Buffer.from(row.content_b64, 'base64')) : undefined;
}
