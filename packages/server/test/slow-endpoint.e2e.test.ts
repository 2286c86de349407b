import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * A receiver that hangs on some requests (issue #15): each hang used to hold one of the
 * destination's slots for the whole attempt timeout, throttling it to slots / timeout. With the
 * adaptive timeout a hung request is cut at 10× the endpoint's usual answer time (at least 2 s),
 * says "slow endpoint" in its attempt, counts in the metrics, and is retried with the full timeout.
 */
let h: TestHerald | undefined;
let rx: Receiver | undefined;
afterEach(async () => {
  await h?.close();
  await rx?.close();
  h = undefined;
  rx = undefined;
});

async function drain(adaptive: boolean): Promise<{ ms: number; t: TestHerald }> {
  // Fast answers (the endpoint's usual speed), except the first request of every 5th event of
  // the second batch, which hangs.
  const seen = new Set<string>();
  rx = await startReceiver((req) => {
    const { data } = JSON.parse(req.body) as { data: { i: number; hang?: boolean } };
    const id = String(req.headers['webhook-id']);
    const first = !seen.has(id);
    seen.add(id);
    return data.hang && data.i % 5 === 0 && first ? 'hang' : { status: 200, body: 'ok' };
  });
  h = await startTestHerald({
    config: { attemptTimeoutMs: 10_000, maxInFlightPerDestination: 4, timeScale: 3600, adaptiveTimeout: adaptive },
  });
  const t = h;
  expect((await t.api('POST', '/v1beta/webhooks', { uri: rx.url, subscribed_events: ['x.y'] })).status).toBe(200);
  for (let i = 0; i < 30; i++) await t.api('POST', '/v1beta/events', { type: 'x.y', data: { i } });
  await expect.poll(() => t.attempts.filter((a) => a.outcome === 'succeeded').length, { timeout: 20_000 }).toBe(30);
  const started = Date.now();
  for (let i = 0; i < 40; i++) await t.api('POST', '/v1beta/events', { type: 'x.y', data: { i, hang: true } });
  await expect
    .poll(() => t.attempts.filter((a) => a.outcome === 'succeeded').length, { timeout: 60_000, interval: 100 })
    .toBe(70);
  return { ms: Date.now() - started, t };
}

describe('a receiver that hangs on some requests', () => {
  it('does not hold its slots for the whole timeout: hung attempts are cut short, said to be slow, counted and retried', async () => {
    const { ms, t } = await drain(true);
    const timedOut = t.attempts.filter((a) => a.errorCode === 'ETIMEDOUT');
    expect(timedOut.length).toBeGreaterThan(0);
    const deliveries = await t.api<{ deliveries: { id: string }[] }>('GET', '/v1beta/deliveries?page_size=100');
    const withTimeout = deliveries.body.deliveries.filter((d) => timedOut.some((a) => a.deliveryId === d.id));
    const one = await t.api<{ attempts: { error_message?: string; duration_ms?: number }[] }>(
      'GET',
      `/v1beta/deliveries/${withTimeout[0]!.id}`,
    );
    expect(JSON.stringify(one.body)).toMatch(/slow endpoint: no answer within 2000 ms, 10× the \d+ ms/);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/herald_delivery_slow_endpoint_timeouts_total [1-9]/);
    console.log(
      `slow endpoint: 40 deliveries, the first request of every 5th event hanging, drained in ${ms} ms with the adaptive timeout`,
    );
  }, 90_000);

  it('HERALD_ADAPTIVE_TIMEOUT=0 waits the whole attempt timeout, as before', async () => {
    const { ms, t } = await drain(false);
    const timedOut = t.attempts.filter((a) => a.errorCode === 'ETIMEDOUT');
    expect(timedOut.length).toBeGreaterThan(0);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/herald_delivery_slow_endpoint_timeouts_total 0/);
    console.log(
      `slow endpoint: 40 deliveries, the first request of every 5th event hanging, drained in ${ms} ms without it`,
    );
  }, 90_000);
});
