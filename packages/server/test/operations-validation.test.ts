import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

let h: TestHerald;
beforeAll(async () => {
  // A manual clock that never moves: nothing created could run, so "nothing written" is exact.
  h = await startTestHerald({ clock: new ManualClock() });
});
afterAll(async () => {
  await h.close();
});

type ErrorBody = { error: { code: number; message: string; status: string } };

async function expectNothingWritten() {
  const ops = await h.api<{ operations: unknown[] }>('GET', '/v1beta/operations');
  expect(ops.body.operations).toEqual([]);
  const events = await h.api<{ events: unknown[] }>('GET', '/v1beta/events');
  expect(events.body.events).toEqual([]);
}

const big = { blob: 'x'.repeat(17 * 1024) };
const hook = (webhook_config: unknown) => ({ kind: 'etl', webhook_config });

describe('bad input: a clear 4xx, and nothing written', () => {
  it.each([
    ['missing kind', {}, /"kind" is required/],
    ['bad kind', { kind: 'Render Video' }, /kind "Render Video" is not valid/],
    ['reserved kind', { kind: 'gemini.batch' }, /reserved/],
    ['webhook_config not an object', hook('http://x'), /webhook_config must be an object/],
    ['uris not an array', hook({ uris: 'http://127.0.0.1:9/x' }), /webhook_config.uris must be an array/],
    ['no uris', hook({ uris: [] }), /must list 1 to 5 URLs, got 0/],
    ['six uris', hook({ uris: Array.from({ length: 6 }, (_, i) => `http://127.0.0.1:9/${i}`) }), /1 to 5 URLs, got 6/],
    [
      'metadata address',
      hook({ uris: ['http://169.254.169.254/latest'] }),
      /webhook_config.uris\[0\] ".*" is not allowed/,
    ],
    [
      'bad scheme',
      hook({ uris: ['ftp://example.com/x'] }),
      /webhook_config.uris\[0\] "ftp:\/\/example.com\/x" is not allowed/,
    ],
    ['url instead of uris', hook({ url: 'http://127.0.0.1:9/x' }), /unknown field "url"; use "uris"/],
    ['user_metadata not an object', hook({ user_metadata: 'x' }), /user_metadata must be a JSON object/],
    ['user_metadata too big', hook({ userMetadata: big }), /user_metadata is \d+ bytes; at most 16384/],
  ])('POST /operations: %s', async (_name, body, message) => {
    const res = await h.api<ErrorBody>('POST', '/v1beta/operations', body);
    expect(res.status).toBe(400);
    expect(res.body.error.status).toBe('INVALID_ARGUMENT');
    expect(res.body.error.message).toMatch(message);
    await expectNothingWritten();
  });

  const inline = { requests: { requests: [{ request: { contents: [{ parts: [{ text: 'x' }] }] } }] } };
  it.each([
    ['no batch', {}, /batch is required/],
    ['no input_config', { batch: { display_name: 'x' } }, /batch.input_config is required/],
    ['both inputs', { batch: { input_config: { ...inline, file_name: 'files/x' } } }, /exactly one of/],
    ['empty requests', { batch: { input_config: { requests: { requests: [] } } } }, /non-empty array/],
    [
      'request not an object',
      { batch: { input_config: { requests: { requests: [{ request: 1 }] } } } },
      /requests\[0\].request must be an object/,
    ],
    ['unknown input file', { batch: { input_config: { file_name: 'files/nope' } } }, /"files\/nope" does not exist/],
    [
      'blocked webhook URI',
      { batch: { input_config: inline, webhookConfig: { uris: ['http://169.254.169.254/'] } } },
      /batch.webhook_config.uris\[0\] .* is not allowed/,
    ],
    ['top-level bad config', { batch: { input_config: inline }, webhook_config: { uris: 'x' } }, /must be an array/],
  ])('batchGenerateContent: %s', async (_name, body, message) => {
    const res = await h.api<ErrorBody>('POST', '/v1beta/models/gemini-2.5-flash:batchGenerateContent', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    await expectNothingWritten();
  });

  it.each([
    ['no instances', {}, /instances is required/],
    ['no prompt', { instances: [{}] }, /prompt must be a string/],
    [
      'bad webhookConfig',
      { instances: [{ prompt: 'x' }], webhookConfig: { uris: ['not a url'] } },
      /webhookConfig.uris\[0\]/,
    ],
  ])('predictLongRunning: %s', async (_name, body, message) => {
    const res = await h.api<ErrorBody>('POST', '/v1beta/models/veo-3.1-generate-preview:predictLongRunning', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    await expectNothingWritten();
  });

  it.each([
    [
      'webhook_config without background',
      { model: 'gemini-2.5-flash', input: 'x', webhook_config: { uris: ['http://127.0.0.1:9/x'] } },
      400,
      /background: true is required when webhook_config is set/,
    ],
    [
      'background false',
      { model: 'gemini-2.5-flash', input: 'x', background: false, webhook_config: { user_metadata: {} } },
      400,
      /background: true is required/,
    ],
    ['no model', { input: 'x', background: true }, 400, /model .* or agent is required/],
    ['no input', { model: 'gemini-2.5-flash', background: true }, 400, /input is required/],
    ['stream', { model: 'gemini-2.5-flash', input: 'x', stream: true }, 400, /stream: true is not supported/],
    ['store false', { model: 'gemini-2.5-flash', input: 'x', background: true, store: false }, 400, /requires store/],
    [
      'unknown previous',
      { model: 'gemini-2.5-flash', input: 'x', background: true, previous_interaction_id: 'nope' },
      404,
      /previous_interaction_id "nope" not found/,
    ],
  ])('interactions: %s', async (_name, body, status, message) => {
    const res = await h.api<ErrorBody>('POST', '/v1beta/interactions', body);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    await expectNothingWritten();
  });

  it.each([
    ['GET', '/v1beta/operations/nope'],
    ['GET', '/v1beta/operations/nope?wait=30s'],
    ['POST', '/v1beta/operations/nope:cancel'],
    ['GET', '/v1beta/batches/nope'],
    ['POST', '/v1beta/batches/nope:cancel'],
    ['DELETE', '/v1beta/batches/nope'],
    ['GET', '/v1/models/veo-3.1/operations/nope'],
    ['GET', '/v1beta/interactions/nope'],
    ['POST', '/v1beta/interactions/nope/cancel'],
    ['DELETE', '/v1beta/interactions/nope'],
    ['GET', '/v1beta/files/nope'],
    ['GET', '/v1beta/files/nope:download?alt=media'],
  ])('unknown name: %s %s → 404', async (method, path) => {
    const res = await h.api<ErrorBody>(method, path);
    expect(res.status).toBe(404);
    expect(res.body.error.status).toBe('NOT_FOUND');
    expect(res.body.error.message).toMatch(/not found/);
  });

  it.each([
    ['no kinds', { kinds: [] }, /kinds/],
    ['reserved kind', { kinds: ['gemini.video'] }, /reserved/],
    ['lease too long', { kinds: ['etl'], lease_seconds: 86_400 }, /lease_seconds/],
  ])('worker lease: %s', async (_name, body, message) => {
    const res = await h.api<ErrorBody>('POST', '/v1beta/operations:lease', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('worker calls on an unknown operation → 404; a bad wait → 400', async () => {
    const done = await h.api<ErrorBody>('POST', '/v1beta/operations/nope:complete', { lease_id: 'lease_x' });
    expect(done.status).toBe(404);
    const wait = await h.api<ErrorBody>('GET', '/v1beta/operations?kind=etl');
    expect(wait.status).toBe(200);
    const bad = await h.api<ErrorBody>('GET', '/v1beta/batches/nope?wait=soon');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/wait must be a duration such as "30s"/);
  });
});
