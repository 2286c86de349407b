import { Type, type Static } from 'typebox';

export const DELIVERY_STATUSES = ['pending', 'in_flight', 'succeeded', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const ATTEMPT_TRIGGERS = ['scheduled', 'manual', 'replay'] as const;
export type AttemptTrigger = (typeof ATTEMPT_TRIGGERS)[number];

export const Attempt = Type.Object(
  {
    number: Type.Integer(),
    trigger: Type.String({ enum: [...ATTEMPT_TRIGGERS] }),
    start_time: Type.String({ format: 'date-time' }),
    duration_ms: Type.Number(),
    status_code: Type.Optional(Type.Integer()),
    error_code: Type.Optional(Type.String()),
    error_message: Type.Optional(Type.String()),
    response_excerpt: Type.Optional(Type.String({ description: 'First 4 KiB of the response body' })),
  },
  { $id: 'Attempt' },
);
export type Attempt = Static<typeof Attempt>;

export const Delivery = Type.Object(
  {
    id: Type.String({ description: 'dlv_…' }),
    event_id: Type.String(),
    event_type: Type.String(),
    message_id: Type.String(),
    destination: Type.Object({
      type: Type.String({ enum: ['webhook', 'dynamic'] }),
      webhook_id: Type.Optional(Type.String()),
      uri: Type.String(),
    }),
    status: Type.String({ enum: [...DELIVERY_STATUSES] }),
    status_reason: Type.Optional(Type.String()),
    attempt_count: Type.Integer(),
    next_attempt_time: Type.Optional(Type.String({ format: 'date-time' })),
    deadline_time: Type.String({ format: 'date-time' }),
    create_time: Type.String({ format: 'date-time' }),
    update_time: Type.String({ format: 'date-time' }),
    last_status_code: Type.Optional(Type.Integer()),
    last_error: Type.Optional(Type.String()),
    attempts: Type.Optional(Type.Array(Attempt)),
  },
  { $id: 'Delivery' },
);
export type Delivery = Static<typeof Delivery>;

export const DeliveryList = Type.Object(
  { deliveries: Type.Array(Delivery), next_page_token: Type.Optional(Type.String()) },
  { $id: 'DeliveryList' },
);
export type DeliveryList = Static<typeof DeliveryList>;
