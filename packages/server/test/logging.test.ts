import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createHerald } from '../src/compose/herald.js';
import { createLogger } from '../src/observability/logger.js';
import { startReceiver } from '../src/testing/receiver.js';

/** The pino logs of a real Herald at debug level: request ids, delivery ids, and no secrets. */
it('logs request ids and delivery ids as JSON lines, and never an API key or a signing secret', async () => {
  const lines: Record<string, unknown>[] = [];
  let raw = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw += chunk.toString();
      for (const l of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-logs-'));
  const rx = await startReceiver(() => ({ status: 500, body: 'receiver is down' }));
  const herald = await createHerald({
    config: { port: 0, host: '127.0.0.1', dataDir, logLevel: 'debug', apiKey: undefined, masterKey: undefined },
    logger: createLogger('debug', destination),
  });
  try {
    const url = await herald.listen();
    const key = herald.apiKey;
    const json = { 'content-type': 'application/json' };
    // The key three ways: the Gemini query parameter, a bearer token and the x-goog-api-key header.
    const wh = await fetch(`${url}/v1beta/webhooks?key=${key}`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ uri: rx.url, subscribed_events: ['invoice.ready'] }),
    });
    expect(wh.status).toBe(200);
    const { id: webhookId, new_signing_secret: secret } = (await wh.json()) as {
      id: string;
      new_signing_secret: string;
    };
    const rotated = await fetch(`${url}/v1beta/webhooks/${webhookId}:rotateSigningSecret`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${key}` },
      body: '{}',
    });
    expect(rotated.status).toBe(200);
    const { new_signing_secret: secret2 } = (await rotated.json()) as { new_signing_secret: string };
    const ev = await fetch(`${url}/v1beta/events`, {
      method: 'POST',
      headers: { ...json, 'x-goog-api-key': key },
      body: JSON.stringify({ type: 'invoice.ready', data: { id: 'inv_1' } }),
    });
    expect(ev.status).toBe(200);
    const { id: eventId } = (await ev.json()) as { id: string };
    await rx.waitFor(1);
    // Percent-encoded names authenticate too (the query parser decodes them): censored the same.
    for (const q of ['%6Bey', '%6b%65%79', 'KEY'])
      expect((await fetch(`${url}/v1beta/webhooks?page_size=1&${q}=${key}`)).status).toBeLessThan(500);
    const deliveries = (await (
      await fetch(`${url}/v1beta/deliveries?event=${eventId}`, { headers: { 'x-goog-api-key': key } })
    ).json()) as { deliveries: { id: string }[] };
    const deliveryId = deliveries.deliveries[0]!.id;
    await expect.poll(() => lines.some((l) => l.msg === 'delivery attempt failed'), { timeout: 5000 }).toBe(true);

    // Every request line carries its request id; the failed attempt names its delivery.
    const requests = lines.filter((l) => l.msg === 'incoming request');
    expect(requests.length).toBeGreaterThanOrEqual(4);
    for (const l of requests) expect(l.reqId).toEqual(expect.any(String));
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(new Set(completed.map((l) => l.reqId))).toEqual(new Set(requests.map((l) => l.reqId)));
    expect(lines.find((l) => l.msg === 'delivery attempt failed')).toMatchObject({
      level: 30,
      service: 'herald',
      component: 'engine',
      deliveryId,
      attempt: 1,
      status: 500,
      outcome: 'pending',
    });
    // The key in the query string is censored; no key or secret appears anywhere.
    expect(requests.map((l) => (l.req as { url: string }).url)).toContain('/v1beta/webhooks?key=[redacted]');
    expect(requests.map((l) => (l.req as { url: string }).url)).toContain(
      '/v1beta/webhooks?page_size=1&%6Bey=[redacted]',
    );
    expect(raw).not.toContain(key);
    expect(raw).not.toContain(secret);
    expect(raw).not.toContain(secret2);
    expect(raw).not.toContain(secret.slice('whsec_'.length));
  } finally {
    await herald.close();
    await rx.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
