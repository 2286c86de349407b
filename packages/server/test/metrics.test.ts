import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

let h: TestHerald;
let rx: Receiver;
beforeAll(async () => {
  rx = await startReceiver();
  h = await startTestHerald();
});
afterAll(async () => {
  await rx.close();
  await h.close();
});

/** Parses the Prometheus text format strictly enough to catch malformed output (NaN/Inf in any case, as Prometheus accepts). */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]?[Ii]nf)$/.exec(
        line,
      );
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    samples.set(m[1]! + (m[2] ?? ''), Number(m[3]));
  }
  return samples;
}

const scrape = async () => {
  const res = await fetch(`${h.url}/metrics`);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
};

describe('/metrics', () => {
  it('parses as Prometheus text and moves when deliveries happen', async () => {
    const before = await scrape();
    expect(before.get('herald_backlog_deliveries{state="pending"}')).toBe(0);
    expect(before.has('herald_delivery_attempts_total{outcome="succeeded",status_class="2xx"}')).toBe(false);

    await h.api('POST', '/v1beta/webhooks', { uri: rx.url, subscribed_events: ['job.done'] });
    for (let i = 0; i < 3; i++) await h.api('POST', '/v1beta/events', { type: 'job.done', data: { i } });
    await h.waitForAttempts(3);

    const after = await scrape();
    expect(after.get('herald_delivery_attempts_total{outcome="succeeded",status_class="2xx"}')).toBe(3);
    expect(after.get('herald_attempt_duration_seconds_count')).toBe(3);
    expect(after.get('herald_notification_latency_seconds_count')).toBe(3);
    expect(after.get('herald_webhooks_disabled_due_to_failures')).toBe(0);
    expect(after.get('herald_oldest_pending_delivery_age_seconds')).toBe(0);
    expect([...after.keys()].some((k) => /webhook_id|project/.test(k))).toBe(false);
  });

  it('counts a failed attempt by outcome and status class, and the backlog gauges move with it', async () => {
    const down = await startReceiver(() => ({ status: 503, body: 'busy' }));
    try {
      const before = await scrape();
      await h.api('POST', '/v1beta/webhooks', { uri: down.url, subscribed_events: ['job.failed'] });
      await h.api('POST', '/v1beta/events', { type: 'job.failed', data: {} });
      await down.waitFor(1);
      const attempts = before.get('herald_attempt_duration_seconds_count') ?? 0;
      let after = await scrape();
      for (let i = 0; i < 50 && after.get('herald_attempt_duration_seconds_count') === attempts; i++) {
        await new Promise((r) => setTimeout(r, 50));
        after = await scrape();
      }
      // Not settled: it will be retried, so it counts as "pending" and stays in the backlog.
      expect(after.get('herald_delivery_attempts_total{outcome="pending",status_class="5xx"}')).toBe(1);
      expect(after.get('herald_attempt_duration_seconds_count')).toBe(attempts + 1);
      expect(after.get('herald_attempt_duration_seconds_bucket{le="+Inf"}')).toBe(attempts + 1);
      // Only first attempts that succeed feed the notification latency.
      expect(after.get('herald_notification_latency_seconds_count')).toBe(
        before.get('herald_notification_latency_seconds_count'),
      );
      expect(after.get('herald_backlog_deliveries{state="pending"}')).toBe(1);
      await new Promise((r) => setTimeout(r, 20));
      const later = await scrape();
      expect(later.get('herald_oldest_pending_delivery_age_seconds')).toBeGreaterThan(0);
      // Bounded labels only (outcome, status class, backlog state, bucket): no endpoint or project.
      const own = [...later.keys()].filter((k) => k.startsWith('herald_') && !k.startsWith('herald_process_'));
      const labels = new Set(own.flatMap((k) => [...k.matchAll(/([a-z_]+)="/g)].map((m) => m[1])));
      expect([...labels].sort()).toEqual(['le', 'outcome', 'state', 'status_class']);
    } finally {
      await down.close();
    }
  });
});
