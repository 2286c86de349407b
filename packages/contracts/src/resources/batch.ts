import { Type, type Static } from 'typebox';
import { OperationError } from './operation.js';

/** `metadata.state` of a batch (the @google/genai client maps them to `JOB_STATE_*`). */
export const BATCH_STATES = [
  'BATCH_STATE_UNSPECIFIED',
  'BATCH_STATE_PENDING',
  'BATCH_STATE_RUNNING',
  'BATCH_STATE_SUCCEEDED',
  'BATCH_STATE_FAILED',
  'BATCH_STATE_CANCELLED',
  'BATCH_STATE_EXPIRED',
] as const;
export type BatchState = (typeof BATCH_STATES)[number];

const Int64 = (description: string) =>
  Type.Optional(Type.String({ description: `${description} (int64 as a string)` }));

/** Where a succeeded batch's responses are: a JSONL file, or inline. */
export const BatchOutput = Type.Object(
  {
    responsesFile: Type.Optional(Type.String({ description: 'files/{id}: one JSON line per request' })),
    inlinedResponses: Type.Optional(
      Type.Object({ inlinedResponses: Type.Array(Type.Record(Type.String(), Type.Unknown())) }),
    ),
  },
  { $id: 'BatchOutput' },
);
export type BatchOutput = Static<typeof BatchOutput>;

/** The GenerateContentBatch: a batch's `metadata` (proto3 JSON: camelCase, zero counts left out). */
export const GenerateContentBatch = Type.Object(
  {
    '@type': Type.String(),
    model: Type.String({ description: 'models/{model}' }),
    displayName: Type.String(),
    inputConfig: Type.Optional(Type.Object({ fileName: Type.String() })),
    output: Type.Optional(BatchOutput),
    createTime: Type.String({ format: 'date-time' }),
    updateTime: Type.String({ format: 'date-time' }),
    endTime: Type.Optional(Type.String({ format: 'date-time' })),
    batchStats: Type.Object({
      requestCount: Int64('Requests in the batch'),
      pendingRequestCount: Int64('Requests not yet answered'),
      successfulRequestCount: Int64('Requests answered'),
      failedRequestCount: Int64('Requests that failed'),
    }),
    state: Type.Enum(BATCH_STATES, { type: 'string' }),
    name: Type.String({ description: 'batches/{id}' }),
  },
  { $id: 'GenerateContentBatch' },
);
export type GenerateContentBatch = Static<typeof GenerateContentBatch>;

/**
 * A Gemini batch (`/v1beta/batches/{id}`): an Operation whose `metadata` is the
 * GenerateContentBatch, with `response` once it succeeded and `error` when it failed.
 */
export const Batch = Type.Object(
  {
    name: Type.String({ description: 'batches/{id}' }),
    metadata: GenerateContentBatch,
    done: Type.Boolean(),
    response: Type.Optional(
      Type.Object({
        '@type': Type.String(),
        responsesFile: Type.Optional(Type.String()),
        inlinedResponses: Type.Optional(
          Type.Object({ inlinedResponses: Type.Array(Type.Record(Type.String(), Type.Unknown())) }),
        ),
      }),
    ),
    error: Type.Optional(OperationError),
  },
  { $id: 'Batch' },
);
export type Batch = Static<typeof Batch>;

/** `GET /v1beta/batches`: `{operations, nextPageToken}`, as the @google/genai client reads it. */
export const BatchList = Type.Object(
  { operations: Type.Array(Batch), nextPageToken: Type.Optional(Type.String()) },
  { $id: 'BatchList' },
);
export type BatchList = Static<typeof BatchList>;
