import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import * as contracts from './index.js';
import { Batch, Interaction, Listener, Operation, VideoOperation } from './index.js';

/** Every exported TypeBox schema, by export name. */
const schemas = Object.entries(contracts as Record<string, unknown>).filter(
  (e): e is [string, { $id?: string; type: string }] => typeof e[1] === 'object' && e[1] !== null && 'type' in e[1],
);

describe('@herald/contracts', () => {
  it('names every resource schema by its export, once (Fastify and OpenAPI key schemas by $id)', () => {
    expect(schemas.length).toBeGreaterThanOrEqual(30);
    for (const [name, schema] of schemas) expect(schema.$id, name).toBe(name);
  });

  it('exports the operation surfaces', () => {
    for (const n of ['Operation', 'OperationList', 'Batch', 'BatchList', 'Interaction', 'VideoOperation'])
      expect(Object.keys(contracts)).toContain(n);
    for (const n of ['File', 'UploadFileResponse', 'Listener', 'ListenerDelivery', 'Jwks', 'HealthStatus', 'Empty'])
      expect(Object.keys(contracts)).toContain(n);
  });

  const t = '2026-12-04T12:00:00.000Z';
  it('an Operation: free-form metadata and result; a closed set of states; integer or string error codes', () => {
    const op = {
      name: 'operations/a',
      id: 'a',
      kind: 'render.video',
      state: 'failed',
      done: true,
      metadata: { any: [1, { x: null }] },
      result: 'anything',
      error: { code: 'RENDER_CRASHED', message: 'out of memory' },
      attempt: 1,
      create_time: t,
      update_time: t,
    };
    expect(Value.Check(Operation, op)).toBe(true);
    expect(Value.Check(Operation, { ...op, error: { code: 13, message: 'x' } })).toBe(true);
    expect(Value.Check(Operation, { ...op, state: 'done' })).toBe(false);
    expect(Value.Check(Operation, { ...op, error: { code: 1.5, message: 'x' } })).toBe(false);
  });

  it('a running video operation is only its name; a batch carries its GenerateContentBatch', () => {
    expect(Value.Check(VideoOperation, { name: 'models/veo/operations/x' })).toBe(true);
    const batch = {
      name: 'batches/b',
      done: false,
      metadata: {
        '@type': 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch',
        model: 'models/gemini-2.5-flash',
        displayName: 'nightly',
        createTime: t,
        updateTime: t,
        batchStats: { requestCount: '2', pendingRequestCount: '2' },
        state: 'BATCH_STATE_PENDING',
        name: 'batches/b',
      },
    };
    expect(Value.Check(Batch, batch)).toBe(true);
    expect(Value.Check(Batch, { ...batch, metadata: { ...batch.metadata, state: 'JOB_STATE_PENDING' } })).toBe(false);
  });

  it('an Interaction and a Listener', () => {
    const i = { id: 'i', status: 'completed', created: t, updated: t, steps: [{ type: 'model_output' }] };
    expect(Value.Check(Interaction, i)).toBe(true);
    expect(Value.Check(Interaction, { ...i, status: 'succeeded' })).toBe(false);
    const l = {
      id: 'w',
      uri: 'herald-listen://lst_x',
      name: 'herald listen',
      subscribed_events: ['batch.succeeded'],
      state: 'enabled',
      connected: true,
      create_time: t,
    };
    expect(Value.Check(Listener, l)).toBe(true);
    expect(Value.Check(Listener, { ...l, connected: 'yes' })).toBe(false);
  });
});
