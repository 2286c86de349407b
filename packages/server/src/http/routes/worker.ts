import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Operation, OperationList } from '@herald/contracts';
import { invalidArgument } from '../api-error.js';
import type { OperationService } from '../../operations/operation-service.js';
import { presentOperation } from '../present-operation.js';
import { checkKind, checkSize } from '../../operations/validate-operation-input.js';

export interface WorkerRoutesOptions {
  operations: OperationService;
  maxDataBytes: number;
}

const Id = Type.Object({ id: Type.String() });
const LeaseId = Type.String({ minLength: 1, description: 'The lease_id returned by :lease' });
const LeaseSeconds = Type.Integer({ minimum: 1, maximum: 3600, description: 'Lease length (default 60)' });
const withLease = { includeLease: true };
const nameOf = (id: string) => `operations/${id}`;

/**
 * The worker API: API builders' own processes lease operations of their kinds, heartbeat, report
 * progress, and complete or fail them. Only the current lease holder may report; an expired or
 * replaced lease is refused with ABORTED, a cancelled operation with FAILED_PRECONDITION.
 */
export const workerRoutes: FastifyPluginAsyncTypebox<WorkerRoutesOptions> = async (
  app,
  { operations, maxDataBytes },
) => {
  const tags = ['workers'];

  app.post(
    '/operations::lease',
    {
      schema: {
        tags,
        summary: 'Lease pending operations of some kinds (and ones whose lease expired)',
        body: Type.Object(
          {
            kinds: Type.Array(Type.String(), { minItems: 1, maxItems: 50 }),
            lease_seconds: Type.Optional(LeaseSeconds),
            max: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 100, description: 'At most this many (default 1)' }),
            ),
            worker_id: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: OperationList },
      },
    },
    async (req) => {
      const b = req.body;
      const kinds = b.kinds.map((k, i) => checkKind(k, `kinds[${i}]`));
      const leased = await operations.lease({
        projectId: req.projectId,
        kinds,
        max: b.max ?? 1,
        leaseMs: (b.lease_seconds ?? 60) * 1000,
        owner: `worker:${b.worker_id ?? 'anonymous'}`,
      });
      return { operations: leased.map((op) => presentOperation(op, withLease)) };
    },
  );

  app.post(
    '/operations/:id(^[^:/]+)::heartbeat',
    {
      schema: {
        tags,
        summary: 'Extend the lease',
        params: Id,
        body: Type.Object(
          { lease_id: LeaseId, lease_seconds: Type.Optional(LeaseSeconds) },
          { additionalProperties: false },
        ),
        response: { 200: Operation },
      },
    },
    async (req) => {
      const { lease_id, lease_seconds } = req.body;
      const op = await operations.heartbeat(
        req.projectId,
        nameOf(req.params.id),
        lease_id,
        (lease_seconds ?? 60) * 1000,
      );
      return presentOperation(op, withLease);
    },
  );

  app.post(
    '/operations/:id(^[^:/]+)::progress',
    {
      schema: {
        tags,
        summary: 'Report progress (fires operation.progress; older pending ones are superseded)',
        params: Id,
        body: Type.Object(
          {
            lease_id: LeaseId,
            percent: Type.Number({ minimum: 0, maximum: 100 }),
            message: Type.Optional(Type.String({ maxLength: 1000 })),
            data: Type.Optional(Type.Unknown()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Operation },
      },
    },
    async (req) => {
      const b = req.body;
      if (b.data !== undefined) checkSize(b.data, 'data', maxDataBytes / 4);
      const op = await operations.progress(req.projectId, nameOf(req.params.id), b.lease_id, {
        percent: b.percent,
        message: b.message ?? '',
        ...(b.data !== undefined ? { data: b.data } : {}),
      });
      return presentOperation(op, withLease);
    },
  );

  app.post(
    '/operations/:id(^[^:/]+)::complete',
    {
      schema: {
        tags,
        summary: 'Succeed with a result (fires operation.succeeded)',
        params: Id,
        body: Type.Object(
          { lease_id: LeaseId, result: Type.Optional(Type.Unknown()) },
          { additionalProperties: false },
        ),
        response: { 200: Operation },
      },
    },
    async (req) => {
      const result = req.body.result ?? null;
      checkSize(result, 'result', maxDataBytes / 2);
      const op = await operations.finish(req.projectId, nameOf(req.params.id), req.body.lease_id, {
        state: 'succeeded',
        result,
      });
      return presentOperation(op);
    },
  );

  app.post(
    '/operations/:id(^[^:/]+)::fail',
    {
      schema: {
        tags,
        summary: 'Fail with an error (fires operation.failed)',
        params: Id,
        body: Type.Object(
          {
            lease_id: LeaseId,
            error: Type.Object(
              {
                code: Type.Union([Type.Integer(), Type.String({ minLength: 1, maxLength: 100 })]),
                message: Type.String({ maxLength: 4096 }),
              },
              { additionalProperties: false },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Operation },
      },
    },
    async (req) => {
      const { code, message } = req.body.error;
      if (message.trim() === '') throw invalidArgument('error.message must say what went wrong');
      const op = await operations.finish(req.projectId, nameOf(req.params.id), req.body.lease_id, {
        state: 'failed',
        error: { code, message },
      });
      return presentOperation(op);
    },
  );
};
