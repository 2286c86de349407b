import { Type, type Static } from 'typebox';

/** A project API key: metadata only. The key itself is shown once, in the answer to create. */
export const ApiKey = Type.Object(
  {
    id: Type.String({ description: 'Stable id (key_…); what DELETE /v1beta/apiKeys/{id} takes' }),
    name: Type.String({ description: 'What the key is for' }),
    prefix: Type.String({ description: 'The first characters of the key (hk_Ab3…), to recognise it' }),
    create_time: Type.String({ format: 'date-time' }),
    revoke_time: Type.Optional(Type.String({ format: 'date-time', description: 'Set once revoked' })),
  },
  { $id: 'ApiKey' },
);
export type ApiKey = Static<typeof ApiKey>;

/** Answer of `POST /v1beta/apiKeys`: the metadata and, this once, the key. */
export const CreatedApiKey = Type.Object(
  {
    ...ApiKey.properties,
    key: Type.String({ description: 'The new key (hk_…), returned only here: store it now' }),
  },
  { $id: 'CreatedApiKey' },
);
export type CreatedApiKey = Static<typeof CreatedApiKey>;

export const ApiKeyList = Type.Object(
  { api_keys: Type.Array(ApiKey, { description: 'Every key of the project, revoked ones included, oldest first' }) },
  { $id: 'ApiKeyList' },
);
export type ApiKeyList = Static<typeof ApiKeyList>;

export const CreateApiKeyRequest = Type.Object(
  { name: Type.Optional(Type.String({ maxLength: 200, description: 'What the key is for, e.g. "ci"' })) },
  { additionalProperties: false, $id: 'CreateApiKeyRequest' },
);
export type CreateApiKeyRequest = Static<typeof CreateApiKeyRequest>;
