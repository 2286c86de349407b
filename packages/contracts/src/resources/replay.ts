import { Type, type Static } from 'typebox';

/** Body of `POST /v1beta/webhooks/{id}:replay`. */
export const ReplayWebhookRequest = Type.Object(
  {
    since: Type.String({ description: 'RFC 3339: replay events created at or after this instant' }),
    until: Type.Optional(Type.String({ description: 'RFC 3339: events created before this instant (default: now)' })),
    only_failed: Type.Optional(
      Type.Boolean({
        description: 'Replay only failed and cancelled deliveries (default true); false replays every settled one',
      }),
    ),
    onlyFailed: Type.Optional(Type.Boolean()),
  },
  { $id: 'ReplayWebhookRequest', additionalProperties: false },
);
export type ReplayWebhookRequest = Static<typeof ReplayWebhookRequest>;

export const ReplayWebhookResponse = Type.Object(
  {
    replayed: Type.Integer({ description: 'Deliveries made due now (requeued + created)' }),
    requeued: Type.Integer({ description: 'Existing delivery rows attempted again' }),
    created: Type.Integer({ description: 'New delivery rows, for events never queued to the webhook' }),
    truncated: Type.Boolean({ description: 'More events remain; call again with since = next_since' }),
    next_since: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { $id: 'ReplayWebhookResponse' },
);
export type ReplayWebhookResponse = Static<typeof ReplayWebhookResponse>;
