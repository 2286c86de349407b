import type { EmitInput } from '../../model/records.js';
import type { EventRow } from '../rows/rows.js';

/** The `events` row an emit wrote, from its input and the sequence the dialect gave it (both stores). */
export function emittedEventRow(input: EmitInput, sequence: number, deliveryCount: number): EventRow {
  return {
    id: input.eventId,
    project_id: input.projectId,
    sequence,
    type: input.type,
    message_id: input.messageId,
    operation: input.operation ?? null,
    body: input.body,
    delivery_count: deliveryCount,
    created_at: input.createdAt,
  };
}
