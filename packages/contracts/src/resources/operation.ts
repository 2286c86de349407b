import { Type, type Static } from 'typebox';

/**
 * Where an operation is in its life: `pending → running → succeeded | failed | cancelled |
 * expired`, plus `requires_action` (an interaction waiting on a function result). Every state
 * but `pending` and `running` is final.
 */
export const OPERATION_STATES = [
  'pending',
  'running',
  'requires_action',
  'succeeded',
  'failed',
  'cancelled',
  'expired',
] as const;
export type OperationState = (typeof OPERATION_STATES)[number];

/** Why an operation failed: a google.rpc code (a number) or the worker's own string code. */
export const OperationError = Type.Object(
  {
    code: Type.Union([Type.Integer(), Type.String()], { description: 'google.rpc code, or a worker-defined string' }),
    message: Type.String(),
  },
  { $id: 'OperationError' },
);
export type OperationError = Static<typeof OperationError>;

/** The last progress a worker reported. */
export const OperationProgress = Type.Object(
  {
    percent: Type.Number({ minimum: 0, maximum: 100 }),
    message: Type.String(),
    data: Type.Optional(Type.Unknown({ description: 'Whatever the worker attached (JSON)' })),
  },
  { $id: 'OperationProgress' },
);
export type OperationProgress = Static<typeof OperationProgress>;

/** A per-request `webhook_config`, as resources echo it: `uris` replace the static webhooks. */
export const OperationWebhookConfig = Type.Object(
  {
    uris: Type.Optional(Type.Array(Type.String(), { description: '1 to 5 destination URLs' })),
    user_metadata: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'Echoed in every event of the operation' }),
    ),
  },
  { $id: 'OperationWebhookConfig' },
);
export type OperationWebhookConfig = Static<typeof OperationWebhookConfig>;

/**
 * The Herald-native operation resource (`/v1beta/operations`, the worker API): snake_case,
 * RFC 3339 times. `lease_id` and `lease_expire_time` appear only in the worker API's answers to
 * the lease holder (`:lease`, `:heartbeat`, `:progress`).
 */
export const Operation = Type.Object(
  {
    name: Type.String({ description: 'operations/{id}' }),
    id: Type.String(),
    kind: Type.String({ description: 'Lower-case dotted kind, e.g. "render.video"' }),
    state: Type.Enum(OPERATION_STATES, { type: 'string' }),
    done: Type.Boolean({ description: 'True in a final state' }),
    metadata: Type.Record(Type.String(), Type.Unknown(), { description: 'The caller’s metadata, as created' }),
    progress: Type.Optional(OperationProgress),
    result: Type.Optional(Type.Unknown({ description: 'What the worker completed with (JSON)' })),
    error: Type.Optional(OperationError),
    webhook_config: Type.Optional(OperationWebhookConfig),
    attempt: Type.Integer({ description: 'How many times the operation was leased' }),
    create_time: Type.String({ format: 'date-time' }),
    update_time: Type.String({ format: 'date-time' }),
    start_time: Type.Optional(Type.String({ format: 'date-time' })),
    end_time: Type.Optional(Type.String({ format: 'date-time' })),
    expire_time: Type.Optional(Type.String({ format: 'date-time' })),
    lease_id: Type.Optional(Type.String({ description: 'Worker API only: what :heartbeat, :complete… take' })),
    lease_expire_time: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { $id: 'Operation' },
);
export type Operation = Static<typeof Operation>;

/** `GET /v1beta/operations` (newest first), and the answer to `:lease` (no page token). */
export const OperationList = Type.Object(
  { operations: Type.Array(Operation), next_page_token: Type.Optional(Type.String()) },
  { $id: 'OperationList' },
);
export type OperationList = Static<typeof OperationList>;
