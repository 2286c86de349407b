import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * The SSRF policy as a running Herald applies it: `HERALD_ENV=production` refuses plain http and
 * private destinations at registration with a clear 400, and the guarded connector refuses them
 * again at connect time, for IP literals and for names that resolve to them.
 */
let herald: TestHerald | undefined;
const receivers: Receiver[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
  await herald?.close();
  herald = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type ErrorBody = { error: { code: number; message: string; status: string } };

describe('SSRF policy of a running Herald', () => {
  it.each([
    ['plain http', 'http://example.com/hooks', /https:\/\/ is required/],
    ['a loopback literal', 'https://127.0.0.1/hooks', /loopback address/],
    ['an IPv4-mapped IPv6 private literal', 'https://[::ffff:10.0.0.1]/hooks', /private address/],
    ['a CGNAT literal', 'https://100.64.0.1/hooks', /carrierGradeNat address/],
    ['a unique-local literal', 'https://[fd12::1]/hooks', /uniqueLocal address/],
    ['the metadata address', 'https://169.254.169.254/latest', /linkLocal address/],
    ['localhost', 'https://localhost:8443/hooks', /host localhost is not an allowed destination/],
  ])('production refuses %s at registration with a 400 and writes nothing', async (_what, uri, reason) => {
    herald = await startTestHerald({ config: { env: 'production', allowPrivateNetworks: false } });
    for (const path of ['/v1beta/webhooks', '/v1/webhooks']) {
      const res = await herald.api<ErrorBody>('POST', path, { uri, subscribed_events: ['batch.succeeded'] });
      expect(res.status).toBe(400);
      expect(res.body.error.status).toBe('INVALID_ARGUMENT');
      expect(res.body.error.message).toMatch(/^uri ".*" is not allowed: /);
      expect(res.body.error.message).toMatch(reason);
    }
    const list = await herald.api<{ webhooks: unknown[] }>('GET', '/v1beta/webhooks');
    expect(list.body.webhooks).toEqual([]);
  });

  it('production accepts a public https destination', async () => {
    herald = await startTestHerald({ config: { env: 'production', allowPrivateNetworks: false } });
    const res = await herald.api('POST', '/v1beta/webhooks', {
      uri: 'https://hooks.example.com/herald',
      subscribed_events: ['batch.succeeded'],
    });
    expect(res.status).toBe(200);
  });

  it('blocks private destinations at connect time, by literal and by resolved name', async () => {
    const rx = await startReceiver();
    receivers.push(rx);
    const dir = mkdtempSync(join(tmpdir(), 'herald-ssrf-'));
    dirs.push(dir);
    const port = new URL(rx.url).port;

    // Registered while private networks were allowed (development)…
    herald = await startTestHerald({ dataDir: dir, config: { allowPrivateNetworks: true } });
    for (const uri of [`http://127.0.0.1:${port}/webhooks`, `http://localhost:${port}/webhooks`]) {
      expect((await herald.api('POST', '/v1beta/webhooks', { uri, subscribed_events: ['invoice.ready'] })).status).toBe(
        200,
      );
    }
    await herald.close();

    // …then delivered by a Herald that blocks them: the guard, not registration, must stop them.
    herald = await startTestHerald({ dataDir: dir, config: { allowPrivateNetworks: false, breakerThreshold: 0 } });
    expect((await herald.api('POST', '/v1beta/events', { type: 'invoice.ready', data: {} })).status).toBe(200);
    const attempts = await herald.waitForAttempts(2);
    expect(attempts.map((a) => [a.statusCode, a.errorCode])).toEqual([
      [undefined, 'ESSRFBLOCKED'],
      [undefined, 'ESSRFBLOCKED'],
    ]);
    const { body } = await herald.api<{ deliveries: { status: string; last_error?: string }[] }>(
      'GET',
      '/v1beta/deliveries',
    );
    for (const d of body.deliveries) {
      expect(d.status).toBe('pending'); // retried on schedule, in case the policy or DNS changes
      expect(d.last_error).toMatch(/^ESSRFBLOCKED: .*(127\.0\.0\.1|::1)/);
    }
    expect(rx.requests).toHaveLength(0);
  });
});
