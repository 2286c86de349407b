import { describe, expect, it } from 'vitest';
import type { OperationRecord } from '../model/operation-records.js';
import { GEMINI_KINDS } from '../gemini/kinds.js';
import { KindRegistry } from './kinds.js';
import { operationEvents, operationTarget } from './operation-events.js';

const base: OperationRecord = {
  name: 'operations/a',
  id: 'a',
  projectId: 'p',
  kind: 'etl',
  state: 'succeeded',
  metadata: {},
  progress: null,
  result: null,
  error: null,
  webhookConfig: null,
  leaseId: null,
  leaseOwner: null,
  leaseUntil: null,
  attempt: 1,
  heartbeatAt: null,
  idempotencyKey: null,
  createdAt: 0,
  updatedAt: 0,
  startedAt: null,
  endedAt: null,
  expireAt: null,
};
const opts = { kinds: new KindRegistry().registerAll(GEMINI_KINDS), now: 1_800_000_000_000, timeScale: 1 };
const one = (op: Partial<OperationRecord>, progress = false) => {
  const evs = operationEvents({ ...base, ...op }, { ...opts, progress });
  return evs.map((e) => ({
    type: e.type,
    data: (JSON.parse(e.body) as { data: unknown }).data,
    supersede: e.supersedeKey,
  }));
};

describe('operationEvents: the catalog event of each transition', () => {
  it('custom kinds: operation.* with result, error fields or progress; progress is superseded', () => {
    expect(one({ result: { url: 'u' } })).toEqual([
      {
        type: 'operation.succeeded',
        data: { id: 'operations/a', kind: 'etl', result: { url: 'u' } },
        supersede: undefined,
      },
    ]);
    expect(one({ state: 'failed', error: { code: 'E', message: 'm' } })[0]!.data).toEqual({
      id: 'operations/a',
      kind: 'etl',
      error_code: 'E',
      error_message: 'm',
    });
    expect(one({ state: 'cancelled' })[0]!.type).toBe('operation.cancelled');
    expect(one({ state: 'running', progress: { percent: 5, message: 'x' } }, true)).toEqual([
      {
        type: 'operation.progress',
        data: { id: 'operations/a', kind: 'etl', progress: { percent: 5, message: 'x' } },
        supersede: 'progress:operations/a',
      },
    ]);
    expect(one({ state: 'running' })).toEqual([]);
  });

  it('batches: output_file_uri only for file output; expired and cancelled carry the id', () => {
    const batch = { kind: 'gemini.batch', name: 'batches/b' };
    expect(one({ ...batch, result: { responsesFile: 'files/batch-b', stats: {} } })[0]!.data).toEqual({
      id: 'batches/b',
      output_file_uri: 'files/batch-b',
    });
    expect(one({ ...batch, result: { inlinedResponses: [], stats: {} } })[0]!.data).toEqual({ id: 'batches/b' });
    expect(one({ ...batch, state: 'expired' })[0]!.type).toBe('batch.expired');
    expect(one({ ...batch, state: 'failed', error: { code: 13, message: 'x' } })[0]!.data).toEqual({
      id: 'batches/b',
      error_code: 13,
      error_message: 'x',
    });
    expect(one({ ...batch, state: 'running' }, true)).toEqual([]);
  });

  it('videos: video.generated only with a sample; interactions use the bare id', () => {
    const video = { kind: 'gemini.video', name: 'models/v/operations/o' };
    expect(one({ ...video, result: { samples: [{ fileName: 'files/f', uri: 'http://h/f' }] } })[0]!.data).toEqual({
      id: 'models/v/operations/o',
      output_file_uri: 'http://h/f',
      video_uri: 'http://h/f',
      file_name: 'files/f',
    });
    expect(one({ ...video, result: { samples: [] } })).toEqual([]);
    expect(one({ ...video, state: 'failed' })).toEqual([]);
    const it = { kind: 'gemini.interaction', name: 'interactions/i', id: 'i', metadata: { background: true } };
    expect(one({ ...it, state: 'requires_action' })[0]).toMatchObject({
      type: 'interaction.requires_action',
      data: { id: 'i' },
    });
    expect(one({ ...it })[0]).toMatchObject({ type: 'interaction.completed', data: { id: 'i' } });
    // A synchronous (non-background) interaction is no long-running operation: no event.
    expect(one({ ...it, metadata: { background: false } })).toEqual([]);
  });

  it('targets only the dynamic URIs when there are some, and adds user_metadata', () => {
    expect(operationTarget(base)).toEqual({ kind: 'subscribers' });
    const dyn = { ...base, webhookConfig: { uris: ['https://x.example/h'], userMetadata: { a: 1 } } };
    expect(operationTarget(dyn)).toEqual({ kind: 'uris', uris: ['https://x.example/h'] });
    expect(one({ webhookConfig: { userMetadata: { a: 1 } } })[0]!.data).toMatchObject({ user_metadata: { a: 1 } });
  });
});
