import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

// Fairness across tenants in the delivery engine, against every store (SQLite; PostgreSQL when reachable).
const backends = await testBackends('tenant fairness');

let herald: TestHerald | undefined;
const receivers: Receiver[] = [];

afterEach(async () => {
  // Receivers first: the hanging requests then fail fast instead of holding the drain.
  for (const r of receivers.splice(0)) await r.close();
  await herald?.close();
  herald = undefined;
});

async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

const admin = (h: TestHerald) => ({ 'x-goog-api-key': h.adminKey });

async function tenant(h: TestHerald, id: string, webhookUris: string[]): Promise<void> {
  expect((await h.api('POST', '/v1beta/projects', { id, name: id }, admin(h))).status).toBe(200);
  for (const uri of webhookUris) {
    const w = await h.api(
      'POST',
      `/v1beta/projects/${id}/webhooks`,
      { uri, subscribed_events: ['invoice.ready'] },
      admin(h),
    );
    expect(w.status).toBe(200);
  }
}

async function emitBatch(h: TestHerald, project: string, n: number): Promise<void> {
  const requests = Array.from({ length: n }, (_, i) => ({ type: 'invoice.ready', data: { id: `inv_${i}` } }));
  const res = await h.api('POST', `/v1beta/projects/${project}/events:batchCreate`, { requests }, admin(h));
  expect(res.status).toBe(200);
}

describe.each(backends)('tenant fairness: $name', (b) => {
  beforeEach(async () => {
    await b.reset();
  });

  const start = (config: Record<string, unknown>) =>
    startTestHerald({
      config: {
        ...b.config,
        // Hung requests hold their slots for the whole test: nothing times out and frees one.
        attemptTimeoutMs: 120_000,
        adaptiveTimeout: false,
        breakerThreshold: 0,
        ...config,
      },
    });

  it("a tenant's backlog on many hanging destinations leaves slots for another tenant's fresh deliveries", async () => {
    // 8 slots; one tenant may hold 4. Without the per-project share, tenant A's 4 destinations ×
    // 2 per destination would take all 8 and B would wait for A's hung requests to time out.
    herald = await start({ maxInFlight: 8, maxInFlightPerDestination: 2, maxInFlightPerProject: 4 });
    const hanging = await receiver(() => 'hang');
    const fast = await receiver();
    await tenant(
      herald,
      'tenant-a',
      [1, 2, 3, 4].map((i) => `${hanging.url}/${i}`),
    );
    await tenant(herald, 'tenant-b', [fast.url]);

    await emitBatch(herald, 'tenant-a', 50); // 200 deliveries, 4 destinations that never answer
    await hanging.waitFor(4);
    await emitBatch(herald, 'tenant-b', 6);
    await fast.waitFor(6);
    // Every one of B's deliveries went out while A's backlog stayed behind its share.
    expect(hanging.requests).toHaveLength(4);
    expect(fast.requests).toHaveLength(6);
  });

  it("a tenant's 1,000-delivery backlog to one hanging endpoint does not delay another tenant", async () => {
    herald = await start({ maxInFlight: 16, maxInFlightPerDestination: 4 });
    const hanging = await receiver(() => 'hang');
    const fast = await receiver();
    await tenant(herald, 'tenant-a', [hanging.url]);
    await tenant(herald, 'tenant-b', [fast.url]);

    for (let i = 0; i < 2; i++) await emitBatch(herald, 'tenant-a', 500);
    await hanging.waitFor(4);
    await emitBatch(herald, 'tenant-b', 10);
    await fast.waitFor(10);
    expect(hanging.requests).toHaveLength(4); // A's destination stays at its cap; none of its backlog went first
  });
});
