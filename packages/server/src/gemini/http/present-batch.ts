import type { Batch, BatchState } from '@herald/contracts';
import type { BatchMetadata, BatchResult } from '../kinds.js';
import { isFinal } from '../../operations/states.js';
import type { OperationRecord, OperationState } from '../../model/operation-records.js';
import { iso } from './fields.js';

const TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch';
const OUTPUT_TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput';

export const BATCH_STATES: Record<OperationState, BatchState> = {
  pending: 'BATCH_STATE_PENDING',
  running: 'BATCH_STATE_RUNNING',
  requires_action: 'BATCH_STATE_UNSPECIFIED',
  succeeded: 'BATCH_STATE_SUCCEEDED',
  failed: 'BATCH_STATE_FAILED',
  cancelled: 'BATCH_STATE_CANCELLED',
  expired: 'BATCH_STATE_EXPIRED',
};

function stats(meta: BatchMetadata, result: BatchResult | null, state: OperationState): Record<string, string> {
  const n =
    result?.stats.requestCount ?? ('requests' in meta.input ? meta.input.requests.length : meta.input.requestCount);
  if (n === undefined) return {};
  if (!result) return { requestCount: String(n), ...(isFinal(state) ? {} : { pendingRequestCount: String(n) }) };
  const { successfulRequestCount: ok, failedRequestCount: failed } = result.stats;
  // proto3 JSON: int64 as strings, zero values omitted.
  return {
    requestCount: String(n),
    ...(ok > 0 ? { successfulRequestCount: String(ok) } : {}),
    ...(failed > 0 ? { failedRequestCount: String(failed) } : {}),
  };
}

function output(result: BatchResult | null): Record<string, unknown> | undefined {
  if (!result) return undefined;
  if (result.responsesFile !== undefined) return { responsesFile: result.responsesFile };
  if (result.inlinedResponses) return { inlinedResponses: { inlinedResponses: result.inlinedResponses } };
  return undefined;
}

/**
 * A batch as `GET /batches/{id}` returns it: an Operation whose `metadata` is the
 * GenerateContentBatch (`state: BATCH_STATE_*`), with `response` when it succeeded and `error`
 * when it failed. The @google/genai client maps it to a BatchJob with `JOB_STATE_*`.
 */
export function presentBatch(op: OperationRecord): Batch {
  const meta = op.metadata as unknown as BatchMetadata;
  const result = op.state === 'succeeded' ? (op.result as BatchResult | null) : null;
  const out = output(result);
  return {
    name: op.name,
    metadata: {
      '@type': TYPE,
      model: meta.model,
      displayName: meta.displayName,
      ...('fileName' in meta.input ? { inputConfig: { fileName: meta.input.fileName } } : {}),
      ...(out ? { output: out } : {}),
      createTime: iso(op.createdAt),
      updateTime: iso(op.updatedAt),
      ...(op.endedAt !== null ? { endTime: iso(op.endedAt) } : {}),
      batchStats: stats(meta, result, op.state),
      state: BATCH_STATES[op.state],
      name: op.name,
    },
    done: isFinal(op.state),
    ...(out ? { response: { '@type': OUTPUT_TYPE, ...out } } : {}),
    ...(op.state === 'failed' && op.error ? { error: op.error } : {}),
  };
}
