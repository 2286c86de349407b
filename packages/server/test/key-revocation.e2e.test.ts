import { afterEach, describe, expect, it } from 'vitest';
import { connectSse, type SseClient } from '../src/testing/sse-client.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * Revoking an API key ends the streams it opened (issue #15): the event stream, a listener
 * stream and the dashboard's live updates. Before, a stream opened with key K2 went on receiving
 * every event after `DELETE /apiKeys/{K2}`.
 */
let h: TestHerald | undefined;
const clients: SseClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await h?.close();
  h = undefined;
});

async function secondKey(t: TestHerald): Promise<{ id: string; key: string }> {
  const res = await t.api<{ id: string; key: string }>('POST', '/v1beta/apiKeys', { name: 'k2' });
  expect(res.status).toBe(200);
  return res.body;
}

async function revoke(t: TestHerald, id: string) {
  expect((await t.api('DELETE', `/v1beta/apiKeys/${id}`)).status).toBe(200);
}

const outcome = (c: SseClient, ms: number) =>
  Promise.race([c.ended.then(() => 'ended'), new Promise((r) => setTimeout(() => r('still open'), ms))]);

describe('revoking a key ends the streams it opened', () => {
  it('GET /events:stream', async () => {
    h = await startTestHerald();
    const k2 = await secondKey(h);
    const stream = await connectSse(`${h.url}/v1beta/events:stream`, { 'x-goog-api-key': k2.key });
    clients.push(stream);
    const kept = await connectSse(`${h.url}/v1beta/events:stream`, { 'x-goog-api-key': h.apiKey });
    clients.push(kept);
    expect(stream.status).toBe(200);
    await h.api('POST', '/v1beta/events', { type: 'x.y', data: { n: 1 } });
    await stream.waitForFrames(1);
    await revoke(h, k2.id);
    expect(await outcome(stream, 5000)).toBe('ended');
    await h.api('POST', '/v1beta/events', { type: 'x.y', data: { n: 2 } });
    await kept.waitForFrames(2);
    expect(stream.frames).toHaveLength(1);
  });

  it('a listener stream', async () => {
    h = await startTestHerald();
    const k2 = await secondKey(h);
    const created = await fetch(`${h.url}/v1beta/listeners`, {
      method: 'POST',
      headers: { 'x-goog-api-key': k2.key, 'content-type': 'application/json' },
      body: JSON.stringify({ subscribed_events: ['x.y'] }),
    });
    const { id } = (await created.json()) as { id: string };
    const stream = await connectSse(`${h.url}/v1beta/listeners/${id}:stream`, { 'x-goog-api-key': k2.key });
    clients.push(stream);
    expect(stream.status).toBe(200);
    await revoke(h, k2.id);
    expect(await outcome(stream, 5000)).toBe('ended');
  });

  it('/dashboard/stream', async () => {
    h = await startTestHerald();
    const k2 = await secondKey(h);
    const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
    const page = await fetch(`${h.url}/dashboard/login`);
    const loginCookie = page.headers.getSetCookie()[0]!.split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const login = await fetch(`${h.url}/dashboard/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...FORM, cookie: loginCookie },
      body: new URLSearchParams({ _csrf: token, api_key: k2.key, next: '/' }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const stream = await connectSse(`${h.url}/dashboard/stream`, { cookie });
    clients.push(stream);
    expect(stream.status).toBe(200);
    await revoke(h, k2.id);
    expect(await outcome(stream, 5000)).toBe('ended');
  });
});
