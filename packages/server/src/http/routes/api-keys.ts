import { ApiKey, ApiKeyList, CreateApiKeyRequest, CreatedApiKey } from '@herald/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { invalidArgument } from '../api-error.js';
import type { ApiKeyRecord } from '../../model/records.js';
import type { ApiKeyService } from '../../services/api-key-service.js';
import type { KeyStreams } from '../key-streams.js';
import { readApiKey } from '../auth.js';

export interface ApiKeyRoutesOptions {
  apiKeys: ApiKeyService;
  /** Ends the streams a revoked key opened. */
  keyStreams?: KeyStreams;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Key record → wire resource: metadata only, never the key or its hash. */
export function presentApiKey(k: ApiKeyRecord): ApiKey {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    create_time: iso(k.createdAt),
    ...(k.revokedAt !== null ? { revoke_time: iso(k.revokedAt) } : {}),
  };
}

/**
 * The project's API keys. `POST /apiKeys` returns the new key once (only its SHA-256 is stored);
 * `GET /apiKeys` lists metadata; `DELETE /apiKeys/{id}` revokes at once — but not the key making
 * the request (FAILED_PRECONDITION, so nobody locks themselves out by accident) unless
 * `?force=true`.
 */
export const apiKeyRoutes: FastifyPluginAsyncTypebox<ApiKeyRoutesOptions> = async (app, { apiKeys, keyStreams }) => {
  const tags = ['apiKeys'];

  app.post(
    '/apiKeys',
    {
      schema: {
        tags,
        summary: 'Create an API key for this project (the key is returned only in this answer)',
        body: Type.Union([CreateApiKeyRequest, Type.Null()]),
        response: { 200: CreatedApiKey },
      },
    },
    async (req) => {
      const { record, key } = await apiKeys.create(req.projectId, { name: req.body?.name ?? '' });
      return { ...presentApiKey(record), key };
    },
  );

  app.get(
    '/apiKeys',
    {
      schema: {
        tags,
        summary: "List this project's API keys (metadata only), revoked ones included",
        querystring: Type.Object({ key: Type.Optional(Type.String()) }),
        response: { 200: ApiKeyList },
      },
    },
    async (req) => ({ api_keys: (await apiKeys.list(req.projectId)).map(presentApiKey) }),
  );

  app.delete(
    '/apiKeys/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an API key now (not the one making the request, unless force=true)',
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({
          force: Type.Optional(Type.String({ description: '"true" also revokes the key making this request' })),
          key: Type.Optional(Type.String()),
        }),
        response: { 200: ApiKey },
      },
    },
    async (req) => {
      const { id } = req.params;
      const force = req.query.force;
      if (force !== undefined && force !== 'true' && force !== 'false')
        throw invalidArgument(`force must be true or false, got "${force.slice(0, 40)}"`);
      const own = readApiKey(req);
      const caller = own !== undefined ? await apiKeys.authenticate(own) : undefined;
      const revoked = await apiKeys.revoke(req.projectId, id, { callerKeyId: caller?.keyId, force: force === 'true' });
      keyStreams?.revoked(id);
      return presentApiKey(revoked);
    },
  );
};
