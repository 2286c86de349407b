import { Type, type Static } from 'typebox';
import { OperationWebhookConfig } from './operation.js';

/** `status` of an interaction. */
export const INTERACTION_STATUSES = [
  'in_progress',
  'requires_action',
  'completed',
  'failed',
  'cancelled',
  'incomplete',
] as const;
export type InteractionStatus = (typeof INTERACTION_STATUSES)[number];

const Json = Type.Record(Type.String(), Type.Unknown());

/** An Interaction (`/v1beta/interactions/{id}`), snake_case as the Interactions API returns it. */
export const Interaction = Type.Object(
  {
    id: Type.String(),
    status: Type.Enum(INTERACTION_STATUSES, { type: 'string' }),
    model: Type.Optional(Type.String()),
    agent: Type.Optional(Type.String()),
    created: Type.String({ format: 'date-time' }),
    updated: Type.String({ format: 'date-time' }),
    previous_interaction_id: Type.Optional(Type.String()),
    system_instruction: Type.Optional(Type.String()),
    tools: Type.Optional(Type.Array(Json)),
    webhook_config: Type.Optional(OperationWebhookConfig),
    steps: Type.Array(Json, { description: 'Output steps (model_output, function_call, …); empty until done' }),
    usage: Type.Optional(Json),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          code: Type.String({ description: 'Canonical status name, e.g. INTERNAL' }),
          message: Type.String(),
        }),
      ),
    ),
  },
  { $id: 'Interaction' },
);
export type Interaction = Static<typeof Interaction>;
