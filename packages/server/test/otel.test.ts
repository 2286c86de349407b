import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startReceiver } from '../src/testing/receiver.js';
import { spawnHerald } from '../src/testing/spawn-herald.js';

it('exports traces of API requests and deliveries when an OTLP endpoint is configured', async () => {
  const bodies: { url: string; body: Buffer }[] = [];
  let notify: (() => void) | undefined;
  const collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push({ url: req.url ?? '', body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      notify?.();
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  const otlp = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  const rx = await startReceiver();
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-otel-'));
  const key = 'hk_oteltestkey0000000000000000000000';
  const herald = await spawnHerald({
    HERALD_DATA_DIR: dataDir,
    HERALD_API_KEY: key,
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
    OTEL_BSP_SCHEDULE_DELAY: '50',
  });
  try {
    const headers = { 'x-goog-api-key': key, 'content-type': 'application/json' };
    await fetch(`${herald.url}/v1beta/webhooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ uri: rx.url, subscribed_events: ['job.done'] }),
    });
    await fetch(`${herald.url}/v1beta/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'job.done', data: {} }),
    });
    await rx.waitFor(1);
    const sawDeliverySpan = () => bodies.some((b) => b.body.includes(new URL(rx.url).port));
    while (!sawDeliverySpan()) await new Promise<void>((r) => (notify = r));
    expect(bodies.every((b) => b.url === '/v1/traces')).toBe(true);
    expect(bodies.some((b) => b.body.includes('herald'))).toBe(true);
    expect(bodies.some((b) => b.body.includes('/v1beta/events'))).toBe(true);
  } finally {
    herald.child.kill('SIGTERM');
    await herald.exited;
    await rx.close();
    collector.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);
