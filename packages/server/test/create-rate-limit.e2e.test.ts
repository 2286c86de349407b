import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * The per-project ingest rate limit (limits.events_per_second) on every surface that creates work,
 * over HTTP: a project limited to 1 a second gets 429 RESOURCE_EXHAUSTED with Retry-After on its
 * second create in the same second; another project is unaffected. One bucket per project, so a
 * create on one surface counts against every other.
 */
type ErrorJson = { error: { code: number; status: string; message: string } };

let herald: TestHerald;
const clock = new ManualClock();

beforeAll(async () => {
  // The manual clock stands still: a bucket refills only when the test advances it.
  herald = await startTestHerald({ clock, config: { timeScale: 1000 } });
  const admin = { 'x-goog-api-key': herald.adminKey };
  for (const id of ['slow-co', 'free-co'])
    expect((await herald.api('POST', '/v1beta/projects', { id, name: id }, admin)).status).toBe(200);
  const patch = await herald.api(
    'PATCH',
    '/v1beta/projects/slow-co?update_mask=limits',
    { limits: { events_per_second: 1 } },
    admin,
  );
  expect(patch.status).toBe(200);
});

afterAll(async () => {
  await herald?.close();
});

/** POSTs `body` to `path` as the admin key acting on `project` (the x-herald-project header). */
async function create(project: string, path: string, body: unknown) {
  const res = await fetch(herald.url + path, {
    method: 'POST',
    headers: { 'x-goog-api-key': herald.adminKey, 'x-herald-project': project, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as ErrorJson };
}

const surfaces: { name: string; path: string; body: unknown }[] = [
  { name: 'custom operation', path: '/v1beta/operations', body: { kind: 'render.video', metadata: {} } },
  {
    name: 'Gemini batch',
    path: '/v1beta/models/gemini-2.5-flash:batchGenerateContent',
    body: {
      batch: {
        display_name: 'b',
        input_config: { requests: { requests: [{ request: { contents: [{ parts: [{ text: 'hi' }] }] } }] } },
      },
    },
  },
  {
    name: 'Gemini interaction',
    path: '/v1beta/interactions',
    body: { model: 'gemini-3-flash-preview', input: 'hi', background: true },
  },
  {
    name: 'Gemini video',
    path: '/v1beta/models/veo-3.1-generate-preview:predictLongRunning',
    body: { instances: [{ prompt: 'a cat surfing' }] },
  },
];

describe('the ingest rate limit on every create surface', () => {
  it.each(surfaces)(
    '$name: the 2nd create in a second is 429 with Retry-After; another project is not slowed',
    async (s) => {
      clock.advance(1_000); // a full bucket (each case starts a new second)
      const first = await create('slow-co', s.path, s.body);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const second = await create('slow-co', s.path, s.body);
      expect(second.status).toBe(429);
      expect(second.retryAfter).toBe('1');
      expect(second.body.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
      expect(second.body.error.message).toContain('project "slow-co" is over its limit of 1 events per second');
      expect(second.body.error.message).toContain('each operation created counts one');
      for (let i = 0; i < 3; i++) expect((await create('free-co', s.path, s.body)).status).toBe(200);
    },
  );

  it('one bucket for events and operations: an operation created spends the second an event would use', async () => {
    clock.advance(1_000);
    expect((await create('slow-co', '/v1beta/operations', surfaces[0]!.body)).status).toBe(200);
    const event = await create('slow-co', '/v1beta/events', { type: 'invoice.ready', data: {} });
    expect(event.status).toBe(429);
  });

  it('events:batchCreate takes one token per event, all or none', async () => {
    const admin = { 'x-goog-api-key': herald.adminKey };
    await herald.api(
      'PATCH',
      '/v1beta/projects/slow-co?update_mask=limits',
      { limits: { events_per_second: 3 } },
      admin,
    );
    clock.advance(5_000); // the limits cache's TTL; the bucket starts full at the new rate
    const batch = (n: number) =>
      create('slow-co', '/v1beta/events:batchCreate', {
        requests: Array.from({ length: n }, () => ({ type: 'invoice.ready', data: {} })),
      });
    expect((await batch(2)).status).toBe(200);
    expect((await batch(2)).status).toBe(429); // 1 token left, 2 asked: nothing taken
    expect((await create('slow-co', '/v1beta/events', { type: 'invoice.ready', data: {} })).status).toBe(200);
  });
});
