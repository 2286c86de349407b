import { Type, type Static } from 'typebox';

export const DYNAMIC_SIGNING_MODES = ['v1a', 'jwt'] as const;
export type DynamicSigning = (typeof DYNAMIC_SIGNING_MODES)[number];

/** How the consumer portal of a project looks. */
export const ProjectBranding = Type.Object(
  {
    logo_uri: Type.Optional(
      Type.Union([
        Type.String({ maxLength: 2048, description: 'An http(s) image URL shown in the portal header' }),
        Type.Null(),
      ]),
    ),
    accent_color: Type.Optional(
      Type.Union([Type.String({ maxLength: 7, description: 'The portal accent colour, #rrggbb' }), Type.Null()]),
    ),
  },
  { additionalProperties: false, $id: 'ProjectBranding' },
);
export type ProjectBranding = Static<typeof ProjectBranding>;

/** Per-project limits; absent or null: the instance defaults. */
export const ProjectLimits = Type.Object(
  {
    events_per_second: Type.Optional(
      Type.Union([
        Type.Integer({ minimum: 1, description: 'Events accepted per second (429 with Retry-After beyond)' }),
        Type.Null(),
      ]),
    ),
    max_webhooks: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, description: 'Most webhooks the project may have' }), Type.Null()]),
    ),
  },
  { additionalProperties: false, $id: 'ProjectLimits' },
);
export type ProjectLimits = Static<typeof ProjectLimits>;

/** A project (tenant), with its settings. */
export const Project = Type.Object(
  {
    id: Type.String({ description: 'Lowercase letters, digits and "-", 3 to 63 characters, starting with a letter' }),
    name: Type.String(),
    branding: Type.Optional(ProjectBranding),
    limits: Type.Optional(ProjectLimits),
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

/** `POST /v1beta/projects` (admin key): a project per customer of yours. */
export const CreateProjectRequest = Type.Object(
  {
    id: Type.Optional(
      Type.String({
        maxLength: 63,
        description: 'Your id for the customer, ^[a-z][a-z0-9-]{2,62}$; absent: generated',
      }),
    ),
    name: Type.String({ maxLength: 200 }),
    branding: Type.Optional(ProjectBranding),
    limits: Type.Optional(ProjectLimits),
    dynamic_signing: Type.Optional(Type.String({ enum: [...DYNAMIC_SIGNING_MODES] })),
    dynamic_audience: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
  },
  { additionalProperties: false, $id: 'CreateProjectRequest' },
);
export type CreateProjectRequest = Static<typeof CreateProjectRequest>;

/** `PATCH /v1beta/projects/{id}` (admin key); `update_mask` names the fields to change. */
export const AdminUpdateProjectRequest = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    branding: Type.Optional(ProjectBranding),
    limits: Type.Optional(ProjectLimits),
    dynamic_signing: Type.Optional(Type.String({ enum: [...DYNAMIC_SIGNING_MODES] })),
    dynamic_audience: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
  },
  { additionalProperties: false, $id: 'AdminUpdateProjectRequest' },
);
export type AdminUpdateProjectRequest = Static<typeof AdminUpdateProjectRequest>;

export const ProjectList = Type.Object(
  {
    projects: Type.Array(Project),
    next_page_token: Type.Optional(Type.String()),
  },
  { $id: 'ProjectList' },
);
export type ProjectList = Static<typeof ProjectList>;

/** `POST /v1beta/projects/{id}:createPortalSession` (admin key). */
export const CreatePortalSessionRequest = Type.Object(
  {
    ttl: Type.Optional(
      Type.String({ description: 'How long the link stays valid, e.g. "3600s" (60s to 86400s; default 3600s)' }),
    ),
  },
  { additionalProperties: false, $id: 'CreatePortalSessionRequest' },
);
export type CreatePortalSessionRequest = Static<typeof CreatePortalSessionRequest>;

/** A one-time magic link into the consumer portal of one project. */
export const PortalSession = Type.Object(
  {
    url: Type.String({ description: 'Absolute, under the public URL; open it once (e.g. as an iframe src)' }),
    token: Type.String({ description: 'The one-time token inside the url' }),
    expire_time: Type.String({ format: 'date-time' }),
  },
  { $id: 'PortalSession' },
);
export type PortalSession = Static<typeof PortalSession>;
