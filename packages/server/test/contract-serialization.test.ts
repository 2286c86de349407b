import { Batch, File, Interaction, Listener, Operation, OperationList, VideoOperation } from '@herald/contracts';
import Fastify from 'fastify';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { presentBatch } from '../src/gemini/http/present-batch.js';
import { presentInteraction } from '../src/gemini/http/present-interaction.js';
import { presentVideoOperation } from '../src/gemini/http/present-video.js';
import { presentFile } from '../src/http/present-file.js';
import { presentOperation } from '../src/http/present-operation.js';
import { OPERATION_STATES } from '../src/operations/states.js';
import type { FileRecord, OperationRecord, OperationState } from '../src/model/operation-records.js';

/**
 * Fastify serializes an answer with the route's response schema and DROPS every property the
 * schema does not list. So each presenter, fed a record with every optional part set, must come
 * out of a Fastify route declaring its @herald/contracts schema unchanged, and match the schema.
 */
async function served(schema: TSchema, body: unknown): Promise<unknown> {
  const app = Fastify();
  try {
    app.get('/', { schema: { response: { 200: schema } } }, async () => body);
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    return res.json();
  } finally {
    await app.close();
  }
}

async function expectServedUnchanged(schema: TSchema, body: unknown) {
  expect([...Value.Errors(schema, body)].map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
  expect(await served(schema, body)).toEqual(body);
}

const T = Date.UTC(2026, 11, 4, 12);
function op(state: OperationState, over: Partial<OperationRecord> = {}): OperationRecord {
  return {
    name: 'operations/op1',
    id: 'op1',
    projectId: 'p1',
    kind: 'render.video',
    state,
    metadata: { scene: 3, nested: { a: [1, 2] } },
    progress: { percent: 40, message: 'frames', data: { frame: 40 } },
    result: state === 'succeeded' ? { url: 'https://example.com/v.mp4', n: [1] } : null,
    error: state === 'failed' ? { code: 'RENDER_CRASHED', message: 'out of memory' } : null,
    webhookConfig: { uris: ['https://example.com/hook'], userMetadata: { job: 7 } },
    leaseId: 'lease1',
    leaseOwner: 'worker:a',
    leaseUntil: T + 60_000,
    attempt: 2,
    heartbeatAt: T,
    idempotencyKey: 'k',
    createdAt: T - 5000,
    updatedAt: T,
    startedAt: T - 4000,
    endedAt: state === 'pending' || state === 'running' ? null : T,
    expireAt: T + 3_600_000,
    ...over,
  };
}

describe('presenters survive their response schema', () => {
  it.each(OPERATION_STATES)('Operation (%s), with and without the lease', async (state) => {
    await expectServedUnchanged(Operation, presentOperation(op(state), { includeLease: true }));
    await expectServedUnchanged(Operation, presentOperation(op(state, { error: { code: 13, message: 'x' } })));
    await expectServedUnchanged(OperationList, { operations: [presentOperation(op(state))], next_page_token: 'tok' });
  });

  const batchMeta = (input: Record<string, unknown>) => ({ model: 'models/gemini-2.5-flash', displayName: 'b', input });
  const inline = { requests: [{ request: { contents: [] }, metadata: { key: 'a' } }] };
  const stats = { requestCount: 2, successfulRequestCount: 1, failedRequestCount: 1 };
  it.each([
    ['pending, inline', op('pending', { name: 'batches/b1', metadata: batchMeta(inline) })],
    ['running, from a file', op('running', { name: 'batches/b1', metadata: batchMeta({ fileName: 'files/in' }) })],
    [
      'succeeded, responses file',
      op('succeeded', {
        name: 'batches/b1',
        metadata: batchMeta({ fileName: 'files/in' }),
        result: { responsesFile: 'files/out', stats },
      }),
    ],
    [
      'succeeded, inline responses',
      op('succeeded', {
        name: 'batches/b1',
        metadata: batchMeta(inline),
        result: { inlinedResponses: [{ response: { candidates: [] } }, { error: { code: 3 } }], stats },
      }),
    ],
    ['failed', op('failed', { name: 'batches/b1', metadata: batchMeta(inline), error: { code: 13, message: 'boom' } })],
    ['expired', op('expired', { name: 'batches/b1', metadata: batchMeta(inline) })],
  ])('Batch (%s)', async (_name, record) => {
    await expectServedUnchanged(Batch, presentBatch(record));
  });

  const interactionMeta = {
    model: 'gemini-2.5-flash',
    agent: 'deep-research',
    input: 'hi',
    tools: [{ type: 'function', name: 'f' }],
    previous_interaction_id: 'prev',
    system_instruction: 'be brief',
    background: true,
  };
  it.each([
    ['in progress', op('running', { metadata: interactionMeta })],
    [
      'completed',
      op('succeeded', {
        metadata: interactionMeta,
        result: { steps: [{ type: 'model_output', content: [{ type: 'text', text: 'hello' }] }], usage: { n: 3 } },
      }),
    ],
    ['failed, numeric code', op('failed', { metadata: interactionMeta, error: { code: 4, message: 'late' } })],
    ['failed, string code', op('failed', { metadata: interactionMeta, error: { code: 'MINE', message: 'no' } })],
    ['minimal', op('pending', { metadata: { input: 'hi', background: false }, webhookConfig: null })],
  ])('Interaction (%s)', async (_name, record) => {
    await expectServedUnchanged(Interaction, presentInteraction(record));
  });

  const videoName = 'models/veo-3/operations/v1';
  it.each([
    ['running', op('running', { name: videoName })],
    [
      'succeeded',
      op('succeeded', {
        name: videoName,
        result: {
          samples: [{ fileName: 'files/v', uri: 'http://x/v1beta/files/v:download?alt=media' }],
          raiMediaFilteredCount: 1,
          raiMediaFilteredReasons: ['filtered'],
        },
      }),
    ],
    ['failed', op('failed', { name: videoName, error: { code: 13, message: 'boom' } })],
    ['cancelled', op('cancelled', { name: videoName })],
    ['expired', op('expired', { name: videoName })],
  ])('VideoOperation (%s)', async (_name, record) => {
    await expectServedUnchanged(VideoOperation, presentVideoOperation(record));
  });

  it('File', async () => {
    const f: FileRecord = {
      name: 'files/abc',
      projectId: 'p1',
      displayName: 'out.jsonl',
      mimeType: 'application/jsonl',
      sizeBytes: 12,
      sha256: 'ab'.repeat(32),
      operation: 'batches/b1',
      createdAt: T,
      expireAt: T + 1000,
    };
    await expectServedUnchanged(File, presentFile(f, 'http://127.0.0.1:1'));
    await expectServedUnchanged(File, presentFile({ ...f, expireAt: null }, 'http://127.0.0.1:1'));
  });

  it('Listener', async () => {
    const listener = {
      id: 'w1',
      uri: 'herald-listen://lst_1',
      name: 'herald listen',
      subscribed_events: ['batch.succeeded'],
      state: 'enabled',
      connected: false,
      create_time: new Date(T).toISOString(),
      secret: 'whsec_x',
    } satisfies Listener;
    await expectServedUnchanged(Listener, listener);
  });

  it('fails when a schema leaves a property out (the check itself)', async () => {
    const body = presentOperation(op('succeeded'));
    const { result: _dropped, ...narrower } = Operation.properties;
    expect(await served({ ...Operation, $id: 'Narrow', properties: narrower }, body)).not.toEqual(body);
  });
});
