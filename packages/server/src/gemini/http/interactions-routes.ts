import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Empty, Interaction } from '@herald/contracts';
import { BASE36_LOWER, randomString } from '../../kernel/random-id.js';
import { notFound } from '../../http/api-error.js';
import { INTERACTION_KIND } from '../kinds.js';
import { MAX_WAIT_MS } from '../../operations/operation-waiter.js';
import { parseWebhookConfig } from '../../operations/webhook-config.js';
import type { Json } from './fields.js';
import { parseInteractionRequest } from './parse-interaction.js';
import { presentInteraction } from './present-interaction.js';
import { readOperation, replySignal } from '../../http/long-poll.js';
import { modelsOf, type GeminiRoutesOptions } from './batches-routes.js';
import { apiVersionOf } from './api-version.js';
import { unlimitedQuota } from './request-quota.js';

const Id = Type.Object({ id: Type.String() });
const Wait = Type.Object({ wait: Type.Optional(Type.String()), key: Type.Optional(Type.String()) });

/** The Interactions API (docs/gemini-compat.md), run by the simulator. */
export const interactionRoutes: FastifyPluginAsyncTypebox<GeminiRoutesOptions> = async (app, opts) => {
  const { operations, waiter, urlPolicy } = opts;
  const models = modelsOf(opts);
  const quota = opts.quota ?? unlimitedQuota;
  const tags = ['interactions'];
  const nameOf = (id: string) => `interactions/${id}`;

  app.post(
    '/interactions',
    {
      schema: {
        tags,
        summary: 'Create an interaction (background: true returns in_progress at once)',
        body: Type.Record(Type.String(), Type.Unknown()),
        response: { 200: Interaction },
      },
    },
    async (req, reply) => {
      const { metadata, webhookConfig } = parseInteractionRequest(req.body);
      if (metadata.model !== undefined) models.require(metadata.model, 'interactions', apiVersionOf(req.url));
      quota.take(req.projectId, metadata.model ?? metadata.agent ?? '');
      const config = parseWebhookConfig(webhookConfig, urlPolicy, 'webhook_config');
      const previous = metadata.previous_interaction_id;
      if (previous !== undefined && !(await operations.exists(req.projectId, nameOf(previous))))
        throw notFound(`previous_interaction_id "${previous.slice(0, 100)}" not found in this project`);
      const id = randomString(BASE36_LOWER, 32);
      const { operation } = await operations.create(req.projectId, {
        kind: INTERACTION_KIND,
        name: { name: nameOf(id), id },
        metadata: metadata as unknown as Json,
        webhookConfig: config,
      });
      if (metadata.background) return presentInteraction(operation);
      // Foreground: answer when the simulated model is done (at most 60 s, then in_progress).
      await waiter.waitUntilDone(req.projectId, operation.name, MAX_WAIT_MS, replySignal(reply));
      return presentInteraction(await operations.get(req.projectId, operation.name));
    },
  );

  app.get(
    '/interactions/:id(^[^:/]+)',
    {
      schema: {
        tags,
        summary: 'Get an interaction (?wait=30s long-polls until done)',
        params: Id,
        querystring: Wait,
        response: { 200: Interaction },
      },
    },
    async (req, reply) =>
      presentInteraction(
        await readOperation({ operations, waiter }, req.projectId, nameOf(req.params.id), req.query.wait, reply),
      ),
  );

  const cancel = async (req: { projectId: string; params: { id: string } }) =>
    presentInteraction(await operations.cancel(req.projectId, nameOf(req.params.id)));
  app.post(
    '/interactions/:id/cancel',
    { schema: { tags, summary: 'Cancel a background interaction', params: Id, response: { 200: Interaction } } },
    cancel,
  );
  app.post(
    '/interactions/:id(^[^:/]+)::cancel',
    { schema: { tags, summary: 'Cancel (colon spelling)', params: Id, response: { 200: Interaction } } },
    cancel,
  );

  app.delete(
    '/interactions/:id(^[^:/]+)',
    { schema: { tags, summary: 'Delete an interaction', params: Id, response: { 200: Empty } } },
    async (req) => {
      await operations.delete(req.projectId, nameOf(req.params.id));
      return {};
    },
  );
};
