import { Type, type Static } from 'typebox';

export const WEBHOOK_STATES = ['enabled', 'disabled', 'disabled_due_to_failed_deliveries'] as const;
export type WebhookState = (typeof WEBHOOK_STATES)[number];

export const REVOCATION_BEHAVIORS = [
  'revoke_previous_secrets_after_h24',
  'revoke_previous_secrets_immediately',
] as const;
export type RevocationBehavior = (typeof REVOCATION_BEHAVIORS)[number];

export const SigningSecret = Type.Object(
  {
    truncated_secret: Type.String({ description: '`whsec_...` + the last 4 characters' }),
    expire_time: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { $id: 'SigningSecret' },
);
export type SigningSecret = Static<typeof SigningSecret>;

/** The static webhook resource, field for field as the Gemini WebhookService. */
export const Webhook = Type.Object(
  {
    id: Type.String({ description: '36 characters [0-9a-z]' }),
    name: Type.String(),
    uri: Type.String(),
    subscribed_events: Type.Array(Type.String()),
    state: Type.String({ enum: [...WEBHOOK_STATES] }),
    signing_secrets: Type.Array(SigningSecret),
    new_signing_secret: Type.Optional(Type.String({ description: 'Only in the create response' })),
    create_time: Type.String({ format: 'date-time' }),
    update_time: Type.String({ format: 'date-time' }),
  },
  { $id: 'Webhook' },
);
export type Webhook = Static<typeof Webhook>;

export const WebhookList = Type.Object(
  {
    webhooks: Type.Array(Webhook),
    next_page_token: Type.Optional(Type.String()),
  },
  { $id: 'WebhookList' },
);
export type WebhookList = Static<typeof WebhookList>;

export const RotateSigningSecretResponse = Type.Object(
  { secret: Type.String() },
  { $id: 'RotateSigningSecretResponse' },
);
export type RotateSigningSecretResponse = Static<typeof RotateSigningSecretResponse>;
