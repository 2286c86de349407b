import { Type, type Static } from 'typebox';

/** A `herald listen` destination (`/v1beta/listeners`): a webhook whose deliveries are streamed. */
export const Listener = Type.Object(
  {
    id: Type.String({ description: 'Also the id of its webhook (deliveries, replay)' }),
    uri: Type.String({ description: 'herald-listen://lst_…' }),
    name: Type.String(),
    subscribed_events: Type.Array(Type.String()),
    state: Type.String({ description: 'The webhook state: enabled, disabled, …' }),
    connected: Type.Boolean({ description: 'Whether a herald listen stream is open' }),
    create_time: Type.String({ format: 'date-time' }),
    secret: Type.Optional(Type.String({ description: 'The signing secret (whsec_…), in the answer to create only' })),
  },
  { $id: 'Listener' },
);
export type Listener = Static<typeof Listener>;

/** One attempt pushed on a listener's stream (`event: delivery`, the `data:` line). */
export const ListenerDelivery = Type.Object(
  {
    delivery_id: Type.String(),
    attempt: Type.Integer(),
    headers: Type.Record(Type.String(), Type.String(), {
      description: 'What Herald would send: content-type, user-agent and the signed webhook-id/-timestamp/-signature',
    }),
    body: Type.String({ description: 'The exact signed body' }),
  },
  { $id: 'ListenerDelivery' },
);
export type ListenerDelivery = Static<typeof ListenerDelivery>;
