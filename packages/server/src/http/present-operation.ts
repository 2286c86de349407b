import type { Operation } from '@herald/contracts';
import type { OperationRecord } from '../model/operation-records.js';
import { isFinal } from '../operations/states.js';
import { presentWebhookConfig } from '../operations/webhook-config.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The Herald-native operation resource (snake_case, RFC 3339 times). */
export function presentOperation(op: OperationRecord, lease?: { includeLease: boolean }): Operation {
  return {
    name: op.name,
    id: op.id,
    kind: op.kind,
    state: op.state,
    done: isFinal(op.state),
    metadata: op.metadata,
    ...(op.progress !== null ? { progress: op.progress } : {}),
    ...(op.result !== null ? { result: op.result } : {}),
    ...(op.error !== null ? { error: op.error } : {}),
    ...(op.webhookConfig !== null ? { webhook_config: presentWebhookConfig(op.webhookConfig) } : {}),
    attempt: op.attempt,
    create_time: iso(op.createdAt),
    update_time: iso(op.updatedAt),
    ...(op.startedAt !== null ? { start_time: iso(op.startedAt) } : {}),
    ...(op.endedAt !== null ? { end_time: iso(op.endedAt) } : {}),
    ...(op.expireAt !== null ? { expire_time: iso(op.expireAt) } : {}),
    ...(lease?.includeLease && op.leaseId !== null && op.leaseUntil !== null
      ? { lease_id: op.leaseId, lease_expire_time: iso(op.leaseUntil) }
      : {}),
  };
}
