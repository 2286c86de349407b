import type { OperationChange, OperationRecord } from '../../model/operation-records.js';
import type { OperationRepo } from '../../ports/operation-repo.js';
import { fileInsertParams, toOperation, toOperationRow, type OperationRow } from '../rows/operation-rows.js';
import { leasedOperation, updatedOperation } from '../shared/operation-transitions.js';
import { emitEventInTx } from './emit-event.js';
import type { SqliteDatabase } from './open-database.js';
import type { SqliteContext } from './sqlite-context.js';

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

/** The files INSERT (shared with the file repo: operation outputs are stored with their update). */
export const INSERT_FILE = `INSERT INTO files (name, project_id, display_name, mime_type, size_bytes, sha256, operation, content_b64, created_at, expire_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function selectOperation(db: SqliteDatabase, projectId: string, name: string): OperationRecord | undefined {
  const row = db
    .prepare<[string, string], OperationRow>('SELECT * FROM operations WHERE name = ? AND project_id = ?')
    .get(name, projectId);
  return row ? toOperation(row) : undefined;
}

/**
 * Operations in SQLite. Each write is one transaction, so a state change, its files and its
 * events (with their deliveries) commit together or not at all; changes are announced in process
 * after the commit.
 */
export function sqliteOperationRepo(ctx: SqliteContext): OperationRepo {
  const { db, commits } = ctx;
  const listeners = new Set<(change: OperationChange) => void>();
  const changed = (op: Pick<OperationRecord, 'projectId' | 'name' | 'kind'>, state: OperationChange['state']) => {
    for (const l of listeners) {
      try {
        l({ projectId: op.projectId, name: op.name, kind: op.kind, state });
      } catch {
        // A listener's failure must not fail the committed unit of work.
      }
    }
  };

  return {
    subscribeOperations(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async createOperation(op) {
      const r = commits.tx(() => {
        if (op.idempotencyKey !== null) {
          const row = db
            .prepare<[string, string], OperationRow>(
              'SELECT * FROM operations WHERE project_id = ? AND idempotency_key = ?',
            )
            .get(op.projectId, op.idempotencyKey);
          if (row) return { operation: toOperation(row), duplicate: true };
        }
        db.prepare(INSERT).run(toOperationRow(op));
        return { operation: op, duplicate: false };
      });
      if (!r.duplicate) changed(op, op.state);
      return r;
    },

    async getOperation(projectId, name) {
      return selectOperation(db, projectId, name);
    },

    async listOperations(projectId, q) {
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
    },

    async leaseOperations(input) {
      if (input.kinds.length === 0 || input.max <= 0) return [];
      const ops = commits.tx(() => {
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
          const leased = leasedOperation(toOperation(row), input);
          update.run(toOperationRow(leased));
          return leased;
        });
      });
      for (const op of ops) changed(op, op.state);
      return ops;
    },

    /** Applies a conditional change with its files and events. */
    async updateOperation(input) {
      let deliveries = 0;
      const result = commits.tx(() => {
        const r = updatedOperation(selectOperation(db, input.projectId, input.name), input);
        if (!r.ok) return r;
        db.prepare(UPDATE).run(toOperationRow(r.operation));
        for (const f of input.files ?? []) db.prepare(INSERT_FILE).run(...fileInsertParams(f.file, f.content));
        for (const ev of input.events?.(r.operation) ?? []) deliveries += emitEventInTx(db, ev).event.deliveryCount;
        return r;
      });
      if (deliveries > 0) ctx.wake();
      if (result.ok) changed(result.operation, result.operation.state);
      return result;
    },

    async deleteOperation(projectId, name) {
      const op = commits.tx(() => {
        const found = selectOperation(db, projectId, name);
        if (found) db.prepare('DELETE FROM operations WHERE name = ?').run(name);
        return found;
      });
      if (op) changed(op, 'deleted');
      return op !== undefined;
    },

    async expiredOperations(now, limit) {
      return db
        .prepare<[number, number], OperationRow>(
          `SELECT * FROM operations WHERE state IN ('pending', 'running') AND expire_at IS NOT NULL AND expire_at <= ?
           ORDER BY expire_at, name LIMIT ?`,
        )
        .all(now, limit)
        .map(toOperation);
    },

    async nextOperationExpiry() {
      const r = db
        .prepare<[], { at: number | null }>(
          `SELECT min(expire_at) AS at FROM operations WHERE state IN ('pending', 'running') AND expire_at IS NOT NULL`,
        )
        .get();
      return r?.at ?? null;
    },

    /** Hands leases of a previous process (owner starting with `prefix`) back, due now. */
    async recoverOperationLeases(prefix, now) {
      return commits.tx(
        () =>
          db
            .prepare(
              `UPDATE operations SET lease_until = ?, updated_at = ?
               WHERE state = 'running' AND substr(lease_owner, 1, ?) = ? AND lease_until > ?`,
            )
            .run(now, now, prefix.length, prefix, now).changes,
      );
    },
  };
}
