import { describe, expect, it } from 'vitest';
import { parseOperationName, viewOperation } from './operation-view.js';

describe('parseOperationName', () => {
  it.each([
    ['operations/abc', 'operations/abc'],
    ['abc', 'operations/abc'],
    ['batches/x1', 'batches/x1'],
    ['/v1beta/interactions/i9', 'interactions/i9'],
    ['models/veo-3.0/operations/o1', 'models/veo-3.0/operations/o1'],
  ])('%s → %s', (raw, name) => {
    expect(parseOperationName(raw)).toBe(name);
  });

  it.each(['webhooks/abc', 'batches/', 'batches/a/b', 'operations/a:cancel', 'models/m/x'])('rejects %s', (raw) => {
    expect(() => parseOperationName(raw)).toThrow(/not an operation name/);
  });
});

describe('viewOperation', () => {
  it('reads a Herald operation as is', () => {
    const v = viewOperation('operations/a', {
      name: 'operations/a',
      kind: 'render.video',
      state: 'running',
      done: false,
      progress: { percent: 40, message: 'encoding' },
      create_time: '2026-01-01T00:00:00.000Z',
      update_time: '2026-01-01T00:00:05.000Z',
    });
    expect(v).toEqual({
      name: 'operations/a',
      kind: 'render.video',
      state: 'running',
      done: false,
      progress: { percent: 40, message: 'encoding' },
      create_time: '2026-01-01T00:00:00.000Z',
      update_time: '2026-01-01T00:00:05.000Z',
    });
  });

  it('maps a Gemini batch, a video operation and an interaction', () => {
    expect(
      viewOperation('batches/b', {
        name: 'batches/b',
        done: true,
        metadata: { state: 'BATCH_STATE_FAILED', createTime: 't0', updateTime: 't1', endTime: 't1' },
        error: { code: 13, message: 'boom' },
      }),
    ).toEqual({
      name: 'batches/b',
      kind: 'gemini.batch',
      state: 'failed',
      done: true,
      error: { code: 13, message: 'boom' },
      create_time: 't0',
      update_time: 't1',
      end_time: 't1',
    });
    const video = 'models/veo/operations/v';
    expect(viewOperation(video, { name: video })).toMatchObject({ state: 'running', done: false });
    expect(viewOperation(video, { name: video, done: true, response: {} })).toMatchObject({ state: 'succeeded' });
    expect(viewOperation(video, { name: video, done: true, error: { code: 1, message: 'x' } })).toMatchObject({
      state: 'cancelled',
      done: true,
    });
    expect(viewOperation('interactions/i', { id: 'i', status: 'requires_action' })).toMatchObject({
      kind: 'gemini.interaction',
      state: 'requires_action',
      done: true,
    });
    expect(viewOperation('interactions/i', { id: 'i', status: 'in_progress' })).toMatchObject({ done: false });
  });
});
