import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * The per-destination circuit breaker (engine/circuit-breaker.ts) end to end: a real endpoint
 * that refuses connections, then comes back on the same port.
 */
const backends = await testBackends('circuit breaker');

let herald: TestHerald | undefined;
let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
  await herald?.close();
  herald = undefined;
});

/** A loopback port with nothing listening on it (connections are refused). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

interface DeliveryView {
  status: string;
  attempt_count: number;
  next_attempt_time?: string;
}

async function deliveries(h: TestHerald): Promise<DeliveryView[]> {
  return (await h.api<{ deliveries: DeliveryView[] }>('GET', '/v1beta/deliveries?page_size=100')).body.deliveries;
}

/** Polls until there are `n` deliveries, every one back to `pending` (none leased). */
async function settledPending(h: TestHerald, n: number): Promise<DeliveryView[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const list = await deliveries(h);
    if (list.length === n && list.every((d) => d.status === 'pending')) return list;
    if (Date.now() > deadline) throw new Error(`deliveries did not settle: ${JSON.stringify(list)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(backends)('circuit breaker: $name', (b) => {
  beforeEach(() => b.reset());

  it('pauses an unreachable endpoint without burning attempts, probes it, and delivers everything once it is back', async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const port = await closedPort();
    herald = await startTestHerald({
      clock,
      config: { ...b.config, maxInFlightPerDestination: 1, breakerThreshold: 3 },
    });
    const wh = await herald.api<{ id: string }>('POST', '/v1beta/webhooks', {
      uri: `http://127.0.0.1:${port}/hook`,
      subscribed_events: ['job.done'],
    });
    expect(wh.status).toBe(200);
    for (let i = 0; i < 6; i++) await herald.api('POST', '/v1beta/events', { type: 'job.done', data: { i } });

    // Three refused attempts open the circuit (5 s); the claim parks the destination: the other
    // three deliveries are neither attempted nor rewritten (still due since t0).
    await herald.waitForAttempts(3);
    let list = await settledPending(herald, 6);
    expect(herald.attempts).toHaveLength(3);
    expect(herald.attempts.every((a) => a.statusCode === undefined && a.errorCode !== undefined)).toBe(true);
    expect(list.map((d) => d.attempt_count).sort()).toEqual([0, 0, 0, 1, 1, 1]);
    const untouched = list.filter((d) => d.attempt_count === 0);
    expect(untouched.every((d) => Date.parse(d.next_attempt_time ?? '') === t0)).toBe(true);

    // The pause ends: one probe (the longest-waiting delivery), refused again: the pause doubles
    // (10 s), nothing else is sent.
    clock.advance(5_000);
    await herald.waitForAttempts(4);
    list = await settledPending(herald, 6);
    expect(herald.attempts).toHaveLength(4);
    expect(list.map((d) => d.attempt_count).sort()).toEqual([0, 0, 1, 1, 1, 1]);

    // The endpoint comes back on the same port; the next probe succeeds and everything flows
    // (every delivery is due by then, the retried ones included).
    const got: string[] = [];
    server = createServer((req, res) => {
      got.push(String(req.headers['webhook-id']));
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
    clock.advance(10_000);
    await herald.waitForAttempts(5);
    // Claims made while the probe was out parked the others for at most the probe recheck (1 s).
    clock.advance(1_000);
    await herald.waitForAttempts(4 + 6);
    expect(herald.attempts.slice(4).every((a) => a.statusCode === 200)).toBe(true);
    expect(new Set(got).size).toBe(6);
    list = await deliveries(herald);
    expect(list.every((d) => d.status === 'succeeded')).toBe(true);
  });

  it('a manual retry of a paused endpoint goes out when the pause ends, ahead of its retry schedule', async () => {
    const clock = new ManualClock();
    const port = await closedPort();
    herald = await startTestHerald({
      clock,
      config: { ...b.config, maxInFlightPerDestination: 1, breakerThreshold: 1 },
    });
    await herald.api('POST', '/v1beta/webhooks', {
      uri: `http://127.0.0.1:${port}/hook`,
      subscribed_events: ['job.done'],
    });
    await herald.api('POST', '/v1beta/events', { type: 'job.done', data: {} });
    await herald.waitForAttempts(1);
    const [d] = (await herald.api<{ deliveries: { id: string }[] }>('GET', '/v1beta/deliveries')).body.deliveries;
    const retry = await herald.api('POST', `/v1beta/deliveries/${d!.id}:retry`, {});
    expect(retry.status).toBe(200);
    // The circuit opened for 5 s after the first refusal; the scheduled retry would be 5 min away.
    clock.advance(5_000);
    const attempts = await herald.waitForAttempts(2);
    expect(attempts.map((a) => a.deliveryId)).toEqual([d!.id, d!.id]);
  });
});
