import { Model, ModelList } from '@herald/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { decodePageToken, encodePageToken, GooglePageQuery, readGooglePage } from '../../http/page-token.js';
import { modelNotFound, type ModelRegistry } from '../models/model-registry.js';
import { apiVersionOf } from './api-version.js';

/**
 * The Models API over the simulator's registry: `GET /models` (`{models, nextPageToken}`, paged
 * with `pageSize`/`pageToken`, as `ai.models.list()` reads it) and `GET /models/{model}` (the
 * `Model` resource `ai.models.get()` returns; `404 NOT_FOUND` in Google's words for the rest).
 */
export const modelRoutes: FastifyPluginAsyncTypebox<{ models: ModelRegistry }> = async (app, { models }) => {
  const tags = ['models'];

  app.get(
    '/models',
    {
      schema: {
        tags,
        summary: 'List the models the simulator serves, with their supportedGenerationMethods',
        querystring: GooglePageQuery,
        response: { 200: ModelList },
      },
    },
    async (req) => {
      const q = req.query;
      const { pageSize, token } = readGooglePage(q, 50, 1000);
      const start = token ? decodePageToken<{ o: number }>(token, ['o']).o : 0;
      const all = models.list();
      const page = all.slice(start, start + pageSize);
      return {
        models: page,
        ...(start + pageSize < all.length ? { nextPageToken: encodePageToken({ o: start + pageSize }) } : {}),
      };
    },
  );

  app.get(
    '/models/:model(^[^:/]+)',
    {
      schema: {
        tags,
        summary: 'Get one model',
        params: Type.Object({ model: Type.String() }),
        response: { 200: Model },
      },
    },
    async (req) => {
      const found = models.get(req.params.model);
      if (!found) throw modelNotFound(req.params.model, 'get', apiVersionOf(req.url));
      return found;
    },
  );
};
