import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * Endpoint health needs both halves: a delivery that exhausted its retries AND no success for
 * 24 h. An endpoint that failed one event all day but accepted another meanwhile stays enabled
 * (the disabling half is in delivery.e2e.test.ts).
 */
const backends = await testBackends('endpoint health');
let herald: TestHerald | undefined;
let rx: Receiver | undefined;
afterEach(async () => {
  await rx?.close();
  await herald?.close();
  herald = rx = undefined;
});

describe.each(backends)('endpoint health: $name', (b) => {
  beforeEach(() => b.reset());

  it('an exhausted delivery does not disable a webhook that succeeded within the last 24 h', async () => {
    const clock = new ManualClock();
    rx = await startReceiver((req) =>
      (JSON.parse(req.body) as { data: { fail: boolean } }).data.fail ? { status: 500 } : { status: 200 },
    );
    herald = await startTestHerald({ clock, config: { ...b.config, timeScale: 3600 } }); // 24 h → 24 s
    const h = herald;
    const wh = await h.api<{ id: string }>('POST', '/v1beta/webhooks', {
      uri: rx.url,
      subscribed_events: ['invoice.ready'],
    });
    const failing = await h.api<{ id: string }>('POST', '/v1beta/events', {
      type: 'invoice.ready',
      data: { fail: true },
    });
    const list = await h.api<{ deliveries: { id: string }[] }>('GET', `/v1beta/deliveries?event=${failing.body.id}`);
    const deliveryId = list.body.deliveries[0]!.id;

    let recorded = 1;
    await h.waitForAttempts(recorded);
    for (let n = 1; n < 8; n++) {
      if (n === 6) {
        // Late in the failing delivery's day, another event gets through.
        await h.api('POST', '/v1beta/events', { type: 'invoice.ready', data: { fail: false } });
        await h.waitForAttempts(++recorded);
      }
      const d = await h.api<{ next_attempt_time: string }>('GET', `/v1beta/deliveries/${deliveryId}`);
      clock.advance(Date.parse(d.body.next_attempt_time) - clock.now());
      await h.waitForAttempts(++recorded);
    }

    const settled = await h.api<{ status: string; status_reason: string; attempt_count: number }>(
      'GET',
      `/v1beta/deliveries/${deliveryId}`,
    );
    expect(settled.body).toMatchObject({ status: 'failed', status_reason: 'exhausted', attempt_count: 8 });
    expect(h.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 500, 500, 500, 200, 500, 500]);
    const got = await h.api<{ state: string }>('GET', `/v1beta/webhooks/${wh.body.id}`);
    expect(got.body.state).toBe('enabled');
    const disabled = await h.api<{ events: unknown[] }>('GET', '/v1beta/events?types=webhook.disabled');
    expect(disabled.body.events).toEqual([]);
  });
});
