import { Type, type Static } from 'typebox';

/** The envelope delivered to receivers, serialized once and signed byte for byte. */
export const EventEnvelope = Type.Object(
  {
    type: Type.String(),
    version: Type.Literal('v1'),
    timestamp: Type.String({ format: 'date-time' }),
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'EventEnvelope' },
);
export type EventEnvelope = Static<typeof EventEnvelope>;

/** An event in the project's append-only log. */
export const Event = Type.Object(
  {
    id: Type.String({ description: 'evt_…' }),
    type: Type.String(),
    sequence: Type.Integer({ description: 'Per-project monotonic cursor' }),
    message_id: Type.String({ description: 'The webhook-id header of every delivery (msg_…)' }),
    operation: Type.Optional(Type.String()),
    create_time: Type.String({ format: 'date-time' }),
    delivery_count: Type.Integer(),
    payload: EventEnvelope,
  },
  { $id: 'Event' },
);
export type Event = Static<typeof Event>;

export const EventList = Type.Object(
  { events: Type.Array(Event), next_page_token: Type.Optional(Type.String()) },
  { $id: 'EventList' },
);
export type EventList = Static<typeof EventList>;
