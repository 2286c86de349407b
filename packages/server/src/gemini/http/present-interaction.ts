import type { Interaction, InteractionStatus } from '@herald/contracts';
import type { InteractionMetadata, InteractionResult } from '../kinds.js';
import { presentWebhookConfig } from '../../operations/webhook-config.js';
import type { OperationRecord, OperationState } from '../../model/operation-records.js';
import { iso } from './fields.js';

export const INTERACTION_STATUSES: Record<OperationState, InteractionStatus> = {
  pending: 'in_progress',
  running: 'in_progress',
  requires_action: 'requires_action',
  succeeded: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  expired: 'incomplete',
};

const CANONICAL: Record<number, string> = { 3: 'INVALID_ARGUMENT', 4: 'DEADLINE_EXCEEDED', 13: 'INTERNAL' };

/** An Interaction resource (snake_case, as the Interactions API returns it). */
export function presentInteraction(op: OperationRecord): Interaction {
  const meta = op.metadata as unknown as InteractionMetadata;
  const result = op.result as InteractionResult | null;
  const code = op.error?.code;
  return {
    id: op.id,
    status: INTERACTION_STATUSES[op.state],
    ...(meta.model !== undefined ? { model: meta.model } : {}),
    ...(meta.agent !== undefined ? { agent: meta.agent } : {}),
    created: iso(op.createdAt),
    updated: iso(op.updatedAt),
    ...(meta.previous_interaction_id !== undefined ? { previous_interaction_id: meta.previous_interaction_id } : {}),
    ...(meta.system_instruction !== undefined ? { system_instruction: meta.system_instruction } : {}),
    ...(meta.tools ? { tools: meta.tools } : {}),
    ...(op.webhookConfig ? { webhook_config: presentWebhookConfig(op.webhookConfig) } : {}),
    steps: result?.steps ?? [],
    ...(result?.usage ? { usage: result.usage } : {}),
    ...(op.state === 'failed' && op.error
      ? {
          errors: [
            {
              code: typeof code === 'number' ? (CANONICAL[code] ?? String(code)) : String(code),
              message: op.error.message,
            },
          ],
        }
      : {}),
  };
}
