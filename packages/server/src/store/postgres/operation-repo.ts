import type { OperationRecord } from '../../model/operation-records.js';
import type { OperationRepo } from '../../ports/operation-repo.js';
import { fileInsertParams, toOperation, toOperationRow, type OperationRow } from '../rows/operation-rows.js';
import { leasedOperation, updatedOperation } from '../shared/operation-transitions.js';
import { notifyOperation } from './channels.js';
import { emitEventInTx } from './emit-event.js';
import type { PgNotifications } from './notifications.js';
import type { PgContext } from './pg-context.js';
import type { Tx } from './pg-database.js';

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

async function selectOperation(
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

/** The files INSERT (shared with the file repo: operation outputs are stored with their update). */
export const INSERT_FILE = `INSERT INTO files (name, project_id, display_name, mime_type, size_bytes, sha256, operation, content_b64, created_at, expire_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

/**
 * Operations in PostgreSQL. Each write is one transaction, so a state change, its files and its
 * events (with their deliveries) commit together or not at all, and every change is announced
 * to all processes (`herald_operations`) at commit.
 */
export function pgOperationRepo({ reader, tx }: PgContext, notifications: PgNotifications): OperationRepo {
  return {
    subscribeOperations: (listener) => notifications.subscribeOperations(listener),

    async createOperation(op) {
      return tx(
        async (t) => {
          if (op.idempotencyKey !== null) {
            const row = await t.one<OperationRow>(
              'SELECT * FROM operations WHERE project_id = $1 AND idempotency_key = $2',
              [op.projectId, op.idempotencyKey],
            );
            if (row) return { operation: toOperation(row), duplicate: true };
          }
          const row = toOperationRow(op);
          await t.run(
            INSERT,
            COLUMNS.map((c) => row[c]),
          );
          notifyOperation(t, { projectId: op.projectId, name: op.name, kind: op.kind, state: op.state });
          return { operation: op, duplicate: false };
        },
        { retryOnUnique: op.idempotencyKey !== null },
      );
    },

    async getOperation(projectId, name) {
      return selectOperation(reader, projectId, name);
    },

    async listOperations(projectId, q) {
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
      const rows = await reader.rows<OperationRow>(
        `SELECT * FROM operations WHERE ${where.join(' AND ')} ORDER BY created_at DESC, name DESC LIMIT ${next(q.pageSize)}`,
        args,
      );
      return rows.map(toOperation);
    },

    /**
     * Leases up to `max` operations, oldest first. Rows are taken `FOR UPDATE SKIP LOCKED`: two
     * workers (or processes) leasing at once never get the same operation, and never wait on each
     * other; the new lease id makes any report from an earlier holder fail its lease check.
     */
    async leaseOperations(input) {
      if (input.kinds.length === 0 || input.max <= 0) return [];
      return tx(async (t) => {
        const args: unknown[] = [input.kinds, input.now, input.max];
        let scope = '';
        if (input.projectId !== undefined) {
          args.push(input.projectId);
          scope = ` AND project_id = $${args.length}`;
        }
        const rows = await t.rows<OperationRow>(
          `SELECT * FROM operations WHERE kind = ANY($1::text[])
           AND (state = 'pending' OR (state = 'running' AND (lease_until IS NULL OR lease_until <= $2)))
           AND (expire_at IS NULL OR expire_at > $2)${scope}
           ORDER BY created_at, name LIMIT $3
           FOR UPDATE SKIP LOCKED`,
          args,
        );
        const leased: OperationRecord[] = [];
        for (const row of rows) {
          const next = leasedOperation(toOperation(row), input);
          await writeOperation(t, next);
          notifyOperation(t, { projectId: next.projectId, name: next.name, kind: next.kind, state: next.state });
          leased.push(next);
        }
        return leased;
      });
    },

    /** Applies a conditional change with its files and events, under a row lock. */
    async updateOperation(input) {
      return tx(async (t) => {
        // Events lock the project row (lock order: project → operation would be safer, but the
        // project lock is only taken when events are emitted, after the operation row; emits never
        // lock operation rows, so no cycle forms).
        const r = updatedOperation(await selectOperation(t, input.projectId, input.name, true), input);
        if (!r.ok) return r;
        const next = r.operation;
        await writeOperation(t, next);
        for (const f of input.files ?? []) await t.run(INSERT_FILE, fileInsertParams(f.file, f.content));
        for (const ev of input.events?.(next) ?? []) await emitEventInTx(t, ev);
        notifyOperation(t, { projectId: next.projectId, name: next.name, kind: next.kind, state: next.state });
        return r;
      });
    },

    async deleteOperation(projectId, name) {
      const op = await tx(async (t) => {
        const found = await selectOperation(t, projectId, name, true);
        if (found) {
          await t.run('DELETE FROM operations WHERE name = $1', [name]);
          notifyOperation(t, { projectId, name, kind: found.kind, state: 'deleted' });
        }
        return found;
      });
      return op !== undefined;
    },

    async expiredOperations(now, limit) {
      const rows = await reader.rows<OperationRow>(
        `SELECT * FROM operations WHERE state IN ('pending', 'running') AND expire_at IS NOT NULL AND expire_at <= $1
         ORDER BY expire_at, name LIMIT $2`,
        [now, limit],
      );
      return rows.map(toOperation);
    },

    async nextOperationExpiry() {
      const r = await reader.one<{ at: number | null }>(
        `SELECT min(expire_at) AS at FROM operations WHERE state IN ('pending', 'running') AND expire_at IS NOT NULL`,
      );
      return r?.at ?? null;
    },

    /** Many processes share the database: a lease is handed back only when it expires. */
    async recoverOperationLeases() {
      return 0;
    },
  };
}
