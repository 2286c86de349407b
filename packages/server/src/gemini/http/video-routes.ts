import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Empty, VideoOperation } from '@herald/contracts';
import { BASE36_LOWER, randomString } from '../../kernel/random-id.js';
import { invalidArgument } from '../../http/api-error.js';
import { VIDEO_KIND, type VideoMetadata } from '../kinds.js';
import { parseWebhookConfig } from '../../operations/webhook-config.js';
import { field, isObject, optionalObject, type Json } from './fields.js';
import { presentVideoOperation } from './present-video.js';
import { readOperation } from '../../http/long-poll.js';
import { modelsOf, type GeminiRoutesOptions } from './batches-routes.js';
import { apiVersionOf } from './api-version.js';
import { unlimitedQuota } from './request-quota.js';

const Model = Type.Object({ model: Type.String() });
const ModelOp = Type.Object({ model: Type.String(), id: Type.String() });
const Wait = Type.Object({ wait: Type.Optional(Type.String()), key: Type.Optional(Type.String()) });

/** Veo-style video generation (docs/gemini-compat.md): `predictLongRunning` and its operation. */
export const videoRoutes: FastifyPluginAsyncTypebox<GeminiRoutesOptions> = async (app, opts) => {
  const { operations, waiter, urlPolicy } = opts;
  const models = modelsOf(opts);
  const quota = opts.quota ?? unlimitedQuota;
  const tags = ['video'];
  const nameOf = (model: string, id: string) => `models/${model}/operations/${id}`;

  app.post(
    '/models/:model(^[^:/]+)::predictLongRunning',
    {
      schema: {
        tags,
        summary: 'Start a video generation (top-level webhookConfig)',
        params: Model,
        body: Type.Record(Type.String(), Type.Unknown()),
        response: { 200: VideoOperation },
      },
    },
    async (req) => {
      models.require(req.params.model, 'predictLongRunning', apiVersionOf(req.url));
      quota.take(req.projectId, req.params.model);
      const body = req.body as Json;
      const instances = body.instances;
      if (!Array.isArray(instances) || instances.length === 0 || !instances.every(isObject))
        throw invalidArgument('instances is required: [{"prompt": "..."}]', 'instances');
      if (!instances.some((i) => typeof i.prompt === 'string' || i.image !== undefined))
        throw invalidArgument('instances[0].prompt must be a string describing the video', 'instances[0].prompt');
      const parameters = optionalObject(body, 'parameters', 'parameters') ?? {};
      const config = parseWebhookConfig(field(body, 'webhook_config'), urlPolicy, 'webhookConfig');
      const id = randomString(BASE36_LOWER, 12);
      const metadata: VideoMetadata = { model: `models/${req.params.model}`, instances, parameters };
      const { operation } = await operations.create(req.projectId, {
        kind: VIDEO_KIND,
        name: { name: nameOf(req.params.model, id), id },
        metadata: metadata as unknown as Json,
        webhookConfig: config,
      });
      return { name: operation.name };
    },
  );

  app.get(
    '/models/:model/operations/:id(^[^:/]+)',
    {
      schema: {
        tags,
        summary: 'Get a video operation (?wait=30s long-polls)',
        params: ModelOp,
        querystring: Wait,
        response: { 200: VideoOperation },
      },
    },
    async (req, reply) =>
      presentVideoOperation(
        await readOperation(
          { operations, waiter },
          req.projectId,
          nameOf(req.params.model, req.params.id),
          req.query.wait,
          reply,
        ),
      ),
  );

  app.post(
    '/models/:model/operations/:id(^[^:/]+)::cancel',
    { schema: { tags, summary: 'Cancel a video operation', params: ModelOp, response: { 200: Empty } } },
    async (req) => {
      await operations.cancel(req.projectId, nameOf(req.params.model, req.params.id));
      return {};
    },
  );
};
