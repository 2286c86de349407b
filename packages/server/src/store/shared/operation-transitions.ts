import type {
  LeaseOperationsInput,
  OperationRecord,
  OperationUpdate,
  OperationUpdateResult,
} from '../../model/operation-records.js';

/** The operation as a lease leaves it: running, with a new lease id, one more attempt. */
export function leasedOperation(op: OperationRecord, input: LeaseOperationsInput): OperationRecord {
  const { now } = input;
  return {
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
}

/**
 * A conditional update of an operation read in the transaction (undefined: there is none): the
 * refusal when its state or lease is not what `input.expect` says, else the operation as updated.
 * Both dialects write what this returns.
 */
export function updatedOperation(op: OperationRecord | undefined, input: OperationUpdate): OperationUpdateResult {
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
  return { ok: true, operation: next };
}
