import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Operation, OperationList } from '@herald/contracts';
import { invalidArgument } from '../api-error.js';
import type { OperationService } from '../../operations/operation-service.js';
import type { OperationWaiter } from '../../operations/operation-waiter.js';
import { presentOperation } from '../present-operation.js';
import { isOperationState, OPERATION_STATES } from '../../operations/states.js';
import { checkKind, checkSize } from '../../operations/validate-operation-input.js';
import { parseWebhookConfig } from '../../operations/webhook-config.js';
import type { OperationState } from '../../model/operation-records.js';
import type { UrlPolicy } from '../../delivery/transport/check-destination-uri.js';
import { readOperation } from '../long-poll.js';
import { decodePageToken, encodePageToken, parsePageSize } from '../page-token.js';

export interface OperationRoutesOptions {
  operations: OperationService;
  waiter: OperationWaiter;
  urlPolicy: UrlPolicy;
  /** Largest `metadata` / `result`, serialized (the event data limit). */
  maxDataBytes: number;
}

const CreateBody = Type.Object(
  {
    kind: Type.String({ description: 'Lower-case dotted kind, e.g. "render.video"' }),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    webhook_config: Type.Optional(Type.Unknown({ description: '{uris: [1–5 URLs], user_metadata: {...}}' })),
    webhookConfig: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);
const Id = Type.Object({ id: Type.String() });
const Wait = Type.Object({ wait: Type.Optional(Type.String()), key: Type.Optional(Type.String()) });

/** Custom operations for API builders: create (idempotent), get (long-poll), list, cancel. */
export const operationRoutes: FastifyPluginAsyncTypebox<OperationRoutesOptions> = async (app, opts) => {
  const { operations, waiter, urlPolicy, maxDataBytes } = opts;
  const tags = ['operations'];

  app.post(
    '/operations',
    {
      schema: {
        tags,
        summary: 'Create a custom operation (Idempotency-Key: a repeat returns the original)',
        body: CreateBody,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        response: { 200: Operation },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const kind = checkKind(b.kind);
      const metadata = b.metadata ?? {};
      checkSize(metadata, 'metadata', maxDataBytes);
      const webhookConfig = parseWebhookConfig(b.webhook_config ?? b.webhookConfig, urlPolicy);
      const key = req.headers['idempotency-key'];
      if (key !== undefined && (key.length === 0 || key.length > 255))
        throw invalidArgument('Idempotency-Key must be 1 to 255 characters');
      const { operation, duplicate } = await operations.create(req.projectId, {
        kind,
        metadata,
        webhookConfig,
        idempotencyKey: key,
      });
      if (duplicate) void reply.header('idempotent-replayed', 'true');
      return presentOperation(operation);
    },
  );

  app.get(
    '/operations',
    {
      schema: {
        tags,
        summary: 'List operations, newest first (filters: kind, state; comma-separated)',
        querystring: Type.Object({
          kind: Type.Optional(Type.String()),
          state: Type.Optional(Type.String()),
          page_size: Type.Optional(Type.String()),
          page_token: Type.Optional(Type.String()),
          key: Type.Optional(Type.String()),
        }),
        response: { 200: OperationList },
      },
    },
    async (req) => {
      const q = req.query;
      const pageSize = parsePageSize(q.page_size, 50, 1000);
      const split = (s: string | undefined) =>
        s
          ? s
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean)
          : undefined;
      const states = split(q.state);
      for (const s of states ?? [])
        if (!isOperationState(s))
          throw invalidArgument(`state "${s.slice(0, 40)}" is not valid; allowed: ${OPERATION_STATES.join(', ')}`);
      const before = q.page_token
        ? decodePageToken<{ c: number; n: string }>(q.page_token, { c: 'number', n: 'string' })
        : undefined;
      const kinds = split(q.kind);
      const rows = await operations.list(req.projectId, {
        pageSize: pageSize + 1,
        ...(kinds ? { kinds } : {}),
        ...(states ? { states: states as OperationState[] } : {}),
        ...(before ? { before: { createdAt: before.c, name: before.n } } : {}),
      });
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      return {
        operations: page.map((op) => presentOperation(op)),
        ...(rows.length > pageSize && last
          ? { next_page_token: encodePageToken({ c: last.createdAt, n: last.name }) }
          : {}),
      };
    },
  );

  app.get(
    '/operations/:id',
    {
      schema: {
        tags,
        summary: 'Get an operation (?wait=30s long-polls until it is done)',
        params: Id,
        querystring: Wait,
        response: { 200: Operation },
      },
    },
    async (req, reply) =>
      presentOperation(
        await readOperation(
          { operations, waiter },
          req.projectId,
          `operations/${req.params.id}`,
          req.query.wait,
          reply,
        ),
      ),
  );

  app.post(
    '/operations/:id(^[^:/]+)::cancel',
    { schema: { tags, summary: 'Cancel a pending or running operation', params: Id, response: { 200: Operation } } },
    async (req) => presentOperation(await operations.cancel(req.projectId, `operations/${req.params.id}`)),
  );
};
