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
      description: 'How deliveries to webhook_config.uris are signed: `v1a` (Ed25519, default) or `jwt` (RS256)',
    }),
    create_time: Type.String({ format: 'date-time' }),
  },
  { $id: 'Project' },
);
export type Project = Static<typeof Project>;

export const UpdateProjectRequest = Type.Object(
  { dynamic_signing: Type.Optional(Type.String({ enum: [...DYNAMIC_SIGNING_MODES] })) },
  { additionalProperties: false, $id: 'UpdateProjectRequest' },
);
export type UpdateProjectRequest = Static<typeof UpdateProjectRequest>;
