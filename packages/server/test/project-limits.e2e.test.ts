import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

type ErrorJson = { error: { code: number; status: string; message: string } };

let herald: TestHerald;
const clock = new ManualClock();
const admin = () => ({ 'x-goog-api-key': herald.adminKey });

beforeAll(async () => {
  // The manual clock stands still: a bucket refills only when the test advances it.
  herald = await startTestHerald({ clock, config: { projectMaxWebhooks: 2 } });
});

afterAll(async () => {
  await herald?.close();
});

async function emit(project: string, n = 1): Promise<Response> {
  const path = n === 1 ? 'events' : 'events:batchCreate';
  const one = { type: 'invoice.ready', data: { n: 1 } };
  return fetch(`${herald.url}/v1beta/projects/${project}/${path}`, {
    method: 'POST',
    headers: { ...admin(), 'content-type': 'application/json' },
    body: JSON.stringify(n === 1 ? one : { requests: Array.from({ length: n }, () => one) }),
  });
}

describe('per-project limits over HTTP', () => {
  it('limits events per second per project: 429 RESOURCE_EXHAUSTED with Retry-After, a PATCH applies within the cache TTL', async () => {
    for (const id of ['rate-a', 'rate-b'])
      expect((await herald.api('POST', '/v1beta/projects', { id, name: id }, admin())).status).toBe(200);
    // Default HERALD_PROJECT_EVENTS_PER_SECOND = 0: unlimited.
    for (let i = 0; i < 20; i++) expect((await emit('rate-a')).status).toBe(200);

    const patch = await herald.api(
      'PATCH',
      '/v1beta/projects/rate-a?update_mask=limits',
      { limits: { events_per_second: 3 } },
      admin(),
    );
    expect(patch.status).toBe(200);
    clock.advance(5_000); // the limits cache's TTL

    expect((await emit('rate-a', 2)).status).toBe(200); // a batch counts each event
    expect((await emit('rate-a')).status).toBe(200);
    const over = await emit('rate-a');
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('1');
    const body = (await over.json()) as ErrorJson;
    expect(body.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(body.error.message).toContain('project "rate-a" is over its limit of 3 events per second');
    expect(body.error.message).toContain('PATCH /v1beta/projects/rate-a?update_mask=limits');

    // Another project is not slowed by rate-a.
    expect((await emit('rate-b')).status).toBe(200);
    // A second later rate-a may emit again; a batch larger than a second's worth is refused whole.
    clock.advance(1_000);
    const big = await emit('rate-a', 4);
    expect(big.status).toBe(429);
    expect(((await big.json()) as ErrorJson).error.message).toContain('send batches of at most 3 events');
    expect((await emit('rate-a', 3)).status).toBe(200);
  });

  it('caps webhooks per project: one more is 429 RESOURCE_EXHAUSTED naming the count and how to raise it', async () => {
    expect((await herald.api('POST', '/v1beta/projects', { id: 'hooks-a', name: 'Hooks' }, admin())).status).toBe(200);
    const create = () =>
      herald.api<ErrorJson>(
        'POST',
        '/v1beta/projects/hooks-a/webhooks',
        { uri: 'https://example.com/hook', subscribed_events: ['invoice.ready'] },
        admin(),
      );
    expect((await create()).status).toBe(200);
    expect((await create()).status).toBe(200);
    const third = await create();
    expect(third.status).toBe(429);
    expect(third.body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(third.body.error.message).toContain('project "hooks-a" has 2 webhooks, the most it may have');
    expect(third.body.error.message).toContain('HERALD_PROJECT_MAX_WEBHOOKS');

    await herald.api('PATCH', '/v1beta/projects/hooks-a?update_mask=limits', { limits: { max_webhooks: 3 } }, admin());
    clock.advance(5_000);
    expect((await create()).status).toBe(200);
    const fourth = await create();
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.message).toContain('has 3 webhooks');
    expect(fourth.body.error.message).not.toContain('HERALD_PROJECT_MAX_WEBHOOKS');
  });
});
