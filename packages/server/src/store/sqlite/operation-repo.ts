import type {
  FileRecord,
  LeaseOperationsInput,
  OperationQuery,
  OperationRecord,
  OperationUpdate,
  OperationUpdateResult,
} from '../../model/operation-records.js';
import { emitEventInTx } from './emit-event.js';
import type { SqliteDatabase } from './open-database.js';
import { toFile, toOperation, toOperationRow, type FileRow, type OperationRow } from '../rows/operation-rows.js';

/**
 * Operation statements for SQLite. Each function runs inside the store's transaction, so a
 * state change, its files and its events (with their deliveries) commit together or not at all.
 */
const INSERT = `INSERT INTO operations (name, id, project_id, kind, state, metadata, progress, result, error,
  webhook_config, lease_id, lease_owner, lease_until, attempt, heartbeat_at, idempotency_key, created_at, updated_at,
  started_at, ended_at, expire_at)
  VALUES (@name, @id, @project_id, @kind, @state, @metadata, @progress, @result, @error, @webhook_config, @lease_id,
  @lease_owner, @lease_until, @attempt, @heartbeat_at, @idempotency_key, @created_at, @updated_at, @started_at,
  @ended_at, @expire_at)`;

const UPDATE = `UPDATE operations SET state = @state, metadata = @metadata, progress = @progress, result = @result,
  error = @error, lease_id = @lease_id, lease_owner = @lease_owner, lease_until = @lease_until, attempt = @attempt,
  heartbeat_at = @heartbeat_at, updated_at = @updated_at, started_at = @started_at, ended_at = @ended_at
  WHERE name = @name`;

export function selectOperation(db: SqliteDatabase, projectId: string, name: string): OperationRecord | undefined {
  const row = db
    .prepare<[string, string], OperationRow>('SELECT * FROM operations WHERE name = ? AND project_id = ?')
    .get(name, projectId);
  return row ? toOperation(row) : undefined;
}

export function insertOperationInTx(
  db: SqliteDatabase,
  op: OperationRecord,
): { operation: OperationRecord; duplicate: boolean } {
  if (op.idempotencyKey !== null) {
    const row = db
      .prepare<[string, string], OperationRow>('SELECT * FROM operations WHERE project_id = ? AND idempotency_key = ?')
      .get(op.projectId, op.idempotencyKey);
    if (row) return { operation: toOperation(row), duplicate: true };
  }
  db.prepare(INSERT).run(toOperationRow(op));
  return { operation: op, duplicate: false };
}

export function selectOperations(db: SqliteDatabase, projectId: string, q: OperationQuery): OperationRecord[] {
  const where = ['project_id = ?'];
  const args: unknown[] = [projectId];
  if (q.kinds && q.kinds.length > 0) {
    where.push(`kind IN (${q.kinds.map(() => '?').join(', ')})`);
    args.push(...q.kinds);
  }
  if (q.states && q.states.length > 0) {
    where.push(`state IN (${q.states.map(() => '?').join(', ')})`);
    args.push(...q.states);
  }
  if (q.before) {
    where.push('(created_at < ? OR (created_at = ? AND name < ?))');
    args.push(q.before.createdAt, q.before.createdAt, q.before.name);
  }
  const sql = `SELECT * FROM operations WHERE ${where.join(' AND ')} ORDER BY created_at DESC, name DESC LIMIT ?`;
  return db
    .prepare<unknown[], OperationRow>(sql)
    .all(...args, q.pageSize)
    .map(toOperation);
}

export function leaseOperationsInTx(db: SqliteDatabase, input: LeaseOperationsInput): OperationRecord[] {
  if (input.kinds.length === 0 || input.max <= 0) return [];
  const { now } = input;
  const args: unknown[] = [...input.kinds, now, now];
  let scope = '';
  if (input.projectId !== undefined) {
    scope = ' AND project_id = ?';
    args.push(input.projectId);
  }
  const rows = db
    .prepare<unknown[], OperationRow>(
      `SELECT * FROM operations WHERE kind IN (${input.kinds.map(() => '?').join(', ')})
       AND (state = 'pending' OR (state = 'running' AND (lease_until IS NULL OR lease_until <= ?)))
       AND (expire_at IS NULL OR expire_at > ?)${scope}
       ORDER BY created_at, name LIMIT ?`,
    )
    .all(...args, input.max);
  const update = db.prepare(UPDATE);
  return rows.map((row) => {
    const op = toOperation(row);
    const leased: OperationRecord = {
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
    update.run(toOperationRow(leased));
    return leased;
  });
}

/** Applies a conditional change with its files and events. Returns what changed, if anything. */
export function updateOperationInTx(
  db: SqliteDatabase,
  input: OperationUpdate,
): { result: OperationUpdateResult; deliveries: number } {
  const op = selectOperation(db, input.projectId, input.name);
  if (!op) return { result: { ok: false, reason: 'not_found' }, deliveries: 0 };
  if (!input.expect.states.includes(op.state))
    return { result: { ok: false, reason: 'state', operation: op }, deliveries: 0 };
  const lease = input.expect.leaseId;
  if (lease !== undefined && (op.leaseId !== lease || (op.leaseUntil ?? 0) <= input.now)) {
    return { result: { ok: false, reason: 'lease', operation: op }, deliveries: 0 };
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
  db.prepare(UPDATE).run(toOperationRow(next));
  for (const f of input.files ?? []) insertFile(db, f.file, f.content);
  let deliveries = 0;
  for (const ev of input.events?.(next) ?? []) deliveries += emitEventInTx(db, ev).event.deliveryCount;
  return { result: { ok: true, operation: next }, deliveries };
}

export function deleteOperationInTx(db: SqliteDatabase, projectId: string, name: string): OperationRecord | undefined {
  const op = selectOperation(db, projectId, name);
  if (op) db.prepare('DELETE FROM operations WHERE name = ?').run(name);
  return op;
}

export function selectExpiredOperations(db: SqliteDatabase, now: number, limit: number): OperationRecord[] {
  return db
    .prepare<[number, number], OperationRow>(
      `SELECT * FROM operations WHERE state IN ('pending', 'running') AND expire_at IS NOT NULL AND expire_at <= ?
       ORDER BY expire_at, name LIMIT ?`,
    )
    .all(now, limit)
    .map(toOperation);
}

export function selectNextExpiry(db: SqliteDatabase): number | null {
  const r = db
    .prepare<[], { at: number | null }>(
      `SELECT min(expire_at) AS at FROM operations WHERE state IN ('pending', 'running') AND expire_at IS NOT NULL`,
    )
    .get();
  return r?.at ?? null;
}

/** Hands leases of a previous process (owner starting with `prefix`) back, due now. */
export function recoverLeasesInTx(db: SqliteDatabase, prefix: string, now: number): number {
  return db
    .prepare(
      `UPDATE operations SET lease_until = ?, updated_at = ?
       WHERE state = 'running' AND substr(lease_owner, 1, ?) = ? AND lease_until > ?`,
    )
    .run(now, now, prefix.length, prefix, now).changes;
}

export function insertFile(db: SqliteDatabase, f: FileRecord, content: Uint8Array): void {
  db.prepare(
    `INSERT INTO files (name, project_id, display_name, mime_type, size_bytes, sha256, operation, content_b64, created_at, expire_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
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
  );
}

export function selectFile(db: SqliteDatabase, projectId: string, name: string): FileRecord | undefined {
  const row = db
    .prepare<[string, string], FileRow>(
      `SELECT name, project_id, display_name, mime_type, size_bytes, sha256, operation, created_at, expire_at
       FROM files WHERE name = ? AND project_id = ?`,
    )
    .get(name, projectId);
  return row ? toFile(row) : undefined;
}

export function selectFileContent(db: SqliteDatabase, projectId: string, name: string): Uint8Array | undefined {
  const row = db
    .prepare<[string, string], { content_b64: string }>(
      'SELECT content_b64 FROM files WHERE name = ? AND project_id = ?',
    )
    .get(name, projectId);
  return row ? new Uint8Array(Buffer.from(row.content_b64, 'base64')) : undefined;
}
