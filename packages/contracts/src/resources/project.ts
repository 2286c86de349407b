import { Type, type Static } from 'typebox';

export const DYNAMIC_SIGNING_MODES = ['v1a', 'jwt'] as const;
export type DynamicSigning = (typeof DYNAMIC_SIGNING_MODES)[number];

/** The project of the API key, with its settings. */
export const Project = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    dynamic_signing: Type.String({
      enum: [...DYNAMIC_SIGNING_MODES],
      description:
        'How deliveries to webhook_config.uris are signed: `jwt` (RS256, the default of new projects) or `v1a` (Ed25519)',
    }),
    dynamic_audience: Type.Optional(
      Type.String({ description: 'The JWT `aud` of `jwt` deliveries; absent: the destination URI' }),
    ),
    create_time: Type.String({ format: 'date-time' }),
  },
  { $id: 'Project' },
);
export type Project = Static<typeof Project>;

export const UpdateProjectRequest = Type.Object(
  {
    dynamic_signing: Type.Optional(Type.String({ enum: [...DYNAMIC_SIGNING_MODES] })),
    /** The JWT `aud` to pin; `null` or `""` returns to the default (the destination URI). */
    dynamic_audience: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
  },
  { additionalProperties: false, $id: 'UpdateProjectRequest' },
);
export type UpdateProjectRequest = Static<typeof UpdateProjectRequest>;
