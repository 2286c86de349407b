import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Batch, BatchList, Empty } from '@herald/contracts';
import { BASE36_LOWER, randomString } from '../../kernel/random-id.js';
import { invalidArgument } from '../../http/api-error.js';
import { BATCH_KIND } from '../kinds.js';
import type { OperationService } from '../../operations/operation-service.js';
import type { FileService } from '../../services/file-service.js';
import type { OperationWaiter } from '../../operations/operation-waiter.js';
import { parseWebhookConfig } from '../../operations/webhook-config.js';
import type { UrlPolicy } from '../../delivery/transport/check-destination-uri.js';
import type { Json } from './fields.js';
import { parseBatchRequest } from './parse-batch.js';
import { presentBatch } from './present-batch.js';
import { readOperation } from '../../http/long-poll.js';
import { decodePageToken, encodePageToken, GooglePageQuery, readGooglePage } from '../../http/page-token.js';
import { createModelRegistry, type ModelRegistry } from '../models/model-registry.js';
import { apiVersionOf } from './api-version.js';
import { unlimitedQuota, type RequestQuota } from './request-quota.js';

export interface GeminiRoutesOptions {
  operations: OperationService;
  files: Pick<FileService, 'content'>;
  waiter: OperationWaiter;
  urlPolicy: UrlPolicy;
  timeScale: number;
  /** The models that exist and what each supports; default: the built-in ones. */
  models?: ModelRegistry;
  /** A simulated request quota (HERALD_SIM_RPM); default none. */
  quota?: RequestQuota;
}

const builtInModels = createModelRegistry();
/** The registry of the routes' options, or the built-in models. */
export const modelsOf = (opts: { models?: ModelRegistry }): ModelRegistry => opts.models ?? builtInModels;

/** Pending or running batches expire after 48 h (divided by HERALD_TIME_SCALE). */
export const BATCH_TTL_MS = 48 * 3_600_000;

const Id = Type.Object({ id: Type.String() });
const Model = Type.Object({ model: Type.String() });
const AnyBody = Type.Record(Type.String(), Type.Unknown());
const Wait = Type.Object({ wait: Type.Optional(Type.String()), key: Type.Optional(Type.String()) });

/** The Gemini Batch API, run by the simulator (docs/gemini-compat.md). */
export const batchRoutes: FastifyPluginAsyncTypebox<GeminiRoutesOptions> = async (app, opts) => {
  const { operations, files, waiter, urlPolicy, timeScale } = opts;
  const models = modelsOf(opts);
  const quota = opts.quota ?? unlimitedQuota;
  const tags = ['batches'];
  const nameOf = (id: string) => `batches/${id}`;

  app.post(
    '/models/:model(^[^:/]+)::batchGenerateContent',
    {
      schema: {
        tags,
        summary: 'Create a batch (webhook config in batch.webhookConfig)',
        params: Model,
        body: AnyBody,
        response: { 200: Batch },
      },
    },
    async (req) => {
      models.require(req.params.model, 'batchGenerateContent', apiVersionOf(req.url));
      quota.take(req.projectId, req.params.model);
      const { metadata, webhookConfig } = parseBatchRequest(req.params.model, req.body);
      const config = parseWebhookConfig(webhookConfig, urlPolicy, 'batch.webhook_config');
      if ('fileName' in metadata.input) {
        const content = await files.content(req.projectId, metadata.input.fileName);
        if (!content)
          throw invalidArgument(
            `batch.input_config.file_name "${metadata.input.fileName}" does not exist in this project`,
            'batch.input_config.file_name',
          );
        // Known at once, as Gemini reports it: batchStats.requestCount / pendingRequestCount while pending.
        metadata.input.requestCount = Buffer.from(content)
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim() !== '').length;
      }
      const id = randomString(BASE36_LOWER, 36);
      const { operation } = await operations.create(req.projectId, {
        kind: BATCH_KIND,
        name: { name: nameOf(id), id },
        metadata: metadata as unknown as Json,
        webhookConfig: config,
        expireInMs: Math.ceil(BATCH_TTL_MS / timeScale),
      });
      return presentBatch(operation);
    },
  );

  app.get(
    '/batches',
    {
      schema: {
        tags,
        summary: 'List batches, newest first ({operations, nextPageToken}, as the SDK reads it)',
        querystring: GooglePageQuery,
        response: { 200: BatchList },
      },
    },
    async (req) => {
      const q = req.query;
      const { pageSize, token } = readGooglePage(q, 50, 1000);
      const before = token ? decodePageToken<{ c: number; n: string }>(token, { c: 'number', n: 'string' }) : undefined;
      const rows = await operations.list(req.projectId, {
        kinds: [BATCH_KIND],
        pageSize: pageSize + 1,
        ...(before ? { before: { createdAt: before.c, name: before.n } } : {}),
      });
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      return {
        operations: page.map(presentBatch),
        ...(rows.length > pageSize && last
          ? { nextPageToken: encodePageToken({ c: last.createdAt, n: last.name }) }
          : {}),
      };
    },
  );

  app.get(
    '/batches/:id(^[^:/]+)',
    {
      schema: {
        tags,
        summary: 'Get a batch (?wait=30s long-polls until done)',
        params: Id,
        querystring: Wait,
        response: { 200: Batch },
      },
    },
    async (req, reply) =>
      presentBatch(
        await readOperation({ operations, waiter }, req.projectId, nameOf(req.params.id), req.query.wait, reply),
      ),
  );

  app.post(
    '/batches/:id(^[^:/]+)::cancel',
    { schema: { tags, summary: 'Cancel a pending or running batch', params: Id, response: { 200: Empty } } },
    async (req) => {
      await operations.cancel(req.projectId, nameOf(req.params.id));
      return {};
    },
  );

  const remove = async (req: { projectId: string; params: { id: string } }) => {
    await operations.delete(req.projectId, nameOf(req.params.id));
    return {};
  };
  app.delete(
    '/batches/:id(^[^:/]+)',
    { schema: { tags, summary: 'Delete a batch', params: Id, response: { 200: Empty } } },
    remove,
  );
  app.post(
    '/batches/:id(^[^:/]+)::delete',
    { schema: { tags, summary: 'Delete a batch (guide spelling)', params: Id, response: { 200: Empty } } },
    remove,
  );
};
