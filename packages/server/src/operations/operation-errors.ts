import { LeaseLost, failedPrecondition, notFound, type DomainError } from '../kernel/domain-errors.js';
import type { OperationRecord, OperationUpdateResult } from '../model/operation-records.js';

/** The wire name of an operation in messages: `batches/…`, `operations/…`. */
const label = (name: string) => `"${name.slice(0, 200)}"`;

export const operationNotFound = (name: string) =>
  notFound(`operation ${label(name)} not found in this project (it may have been deleted)`);

/**
 * Turns a refused conditional update into the error a caller can act on: 404 when the operation
 * is gone, FAILED_PRECONDITION when its state forbids the change (cancel of a finished operation,
 * a worker reporting on a cancelled one), LeaseLost when the caller's lease is not the current one.
 */
export function updateError(
  result: Exclude<OperationUpdateResult, { ok: true }>,
  name: string,
  action: string,
): DomainError {
  if (result.reason === 'not_found') return operationNotFound(name);
  const op: OperationRecord = result.operation;
  if (result.reason === 'state') {
    const hint = op.state === 'cancelled' ? '; stop working on it' : op.state === 'pending' ? '; lease it first' : '';
    return failedPrecondition(`cannot ${action} operation ${label(name)}: it is ${op.state}${hint}`);
  }
  const until = op.leaseUntil !== null ? new Date(op.leaseUntil).toISOString() : 'never';
  return new LeaseLost(
    `cannot ${action} operation ${label(name)}: the lease_id is not the operation's current lease (it expired, or the operation was leased again; current lease ends ${until}); lease it again`,
  );
}
