import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/** `GET /v1beta/deliveries` filters: status, webhook, event, alone and together. */
let h: TestHerald;
let ok: Receiver;
let bad: Receiver;
const ids = { good: '', failing: '', invoice: '', job: '' };

type DeliveryJson = { id: string; status: string; event_id: string; destination: { webhook_id?: string } };
const list = async (query: string) =>
  (await h.api<{ deliveries: DeliveryJson[] }>('GET', `/v1beta/deliveries${query}`)).body.deliveries.map(
    (d) =>
      `${d.destination.webhook_id === ids.good ? 'good' : 'failing'}/${d.event_id === ids.invoice ? 'invoice' : 'job'}/${d.status}`,
  );

beforeAll(async () => {
  ok = await startReceiver();
  bad = await startReceiver(() => ({ status: 500 }));
  h = await startTestHerald({ clock: new ManualClock() }); // the failing delivery stays pending
  const create = async (uri: string, events: string[]) =>
    (await h.api<{ id: string }>('POST', '/v1beta/webhooks', { uri, subscribed_events: events })).body.id;
  ids.good = await create(ok.url, ['invoice.ready', 'job.done']);
  ids.failing = await create(bad.url, ['invoice.ready']);
  const emit = async (type: string) =>
    (await h.api<{ id: string }>('POST', '/v1beta/events', { type, data: {} })).body.id;
  ids.invoice = await emit('invoice.ready');
  ids.job = await emit('job.done');
  await h.waitForAttempts(3);
});

afterAll(async () => {
  await ok.close();
  await bad.close();
  await h.close();
});

describe('deliveries list filters', () => {
  it.each([
    ['', ['good/invoice/succeeded', 'failing/invoice/pending', 'good/job/succeeded']],
    ['?status=succeeded', ['good/invoice/succeeded', 'good/job/succeeded']],
    ['?status=pending', ['failing/invoice/pending']],
    ['?status=failed', []],
    [() => `?webhook=${ids.failing}`, ['failing/invoice/pending']],
    [() => `?event=${ids.job}`, ['good/job/succeeded']],
    [() => `?event=${ids.invoice}&status=succeeded`, ['good/invoice/succeeded']],
    [() => `?webhook=${ids.good}&event=${ids.invoice}`, ['good/invoice/succeeded']],
    ['?webhook=unknown', []],
  ] as const)('%s', async (query, expected) => {
    const got = await list(typeof query === 'function' ? query() : query);
    expect(got.sort()).toEqual([...expected].sort());
  });

  it('pages with page_token, and the last full page offers no empty next page', async () => {
    type Page = { deliveries: DeliveryJson[]; next_page_token?: string };
    const first = (await h.api<Page>('GET', '/v1beta/deliveries?page_size=2')).body;
    expect(first.deliveries).toHaveLength(2);
    expect(first.next_page_token).toBeDefined();
    const second = (await h.api<Page>('GET', `/v1beta/deliveries?page_size=2&page_token=${first.next_page_token!}`))
      .body;
    expect(second.deliveries).toHaveLength(1);
    expect(second.next_page_token).toBeUndefined();
    const ids = [...first.deliveries, ...second.deliveries].map((d) => d.id);
    expect(new Set(ids).size).toBe(3);
    // Exactly one full page: no token, so no empty page to fetch.
    expect((await h.api<Page>('GET', '/v1beta/deliveries?page_size=3')).body.next_page_token).toBeUndefined();
  });

  it('refuses an unknown status with a Google-style 400', async () => {
    const res = await h.api<{ error: { code: number; status: string; message: string } }>(
      'GET',
      '/v1beta/deliveries?status=done',
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(res.body.error.message).toBe(
      'Invalid querystring: query parameter "status" must be one of: pending, in_flight, succeeded, failed, cancelled',
    );
  });
});
