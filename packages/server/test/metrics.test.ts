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
});
