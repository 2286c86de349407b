import type { ClaimedDelivery, EmitInput } from '../../model/records.js';
import type { DirectLease } from '../../ports/direct-dispatch.js';
import { toDelivery, type DeliveryRow } from '../rows/rows.js';
import type { EmitDestination } from './emit-destination.js';

/**
 * The row of a delivery an emit writes already leased to its engine (direct dispatch), and the
 * claimed delivery handed over after the commit. Both dialects write this row and return this.
 */
export function directDeliveryRow(
  input: EmitInput,
  d: EmitDestination,
  destId: string,
  id: string,
  lease: Pick<DirectLease, 'owner' | 'leaseMs'>,
): { row: DeliveryRow; claimed: ClaimedDelivery } {
  const row: DeliveryRow = {
    id,
    project_id: input.projectId,
    event_id: input.eventId,
    event_type: input.type,
    message_id: input.messageId,
    destination_id: destId,
    dest_type: d.destType,
    webhook_id: d.webhookId,
    uri: d.uri,
    status: 'in_flight',
    status_reason: null,
    attempt_count: 0,
    next_attempt_at: input.createdAt,
    next_trigger: 'scheduled',
    lease_owner: lease.owner,
    lease_until: input.createdAt + lease.leaseMs,
    deadline_at: input.deadlineAt,
    created_at: input.createdAt,
    updated_at: input.createdAt,
    last_status_code: null,
    last_error: null,
  };
  return {
    row,
    claimed: { ...toDelivery(row), body: input.body, webhookState: d.webhookState, leaseOwner: lease.owner },
  };
}
