import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookReceiver } from '../receiver/create-receiver.js';
import { Webhook } from '../webhook.js';
import { toNodeHandler } from './node-handler.js';

const secret = 'whsec_' + Buffer.alloc(32, 1).toString('base64');
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  server = undefined;
});

async function serve(maxBodyBytes?: number): Promise<string> {
  const receiver = createWebhookReceiver({ verifier: new Webhook(secret), fallback: () => undefined });
  server = createServer(toNodeHandler(receiver, maxBodyBytes === undefined ? {} : { maxBodyBytes }));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('toNodeHandler', () => {
  it('answers 405 to GET and 413 over the body limit', async () => {
    const url = await serve(100);
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const big = await fetch(url, { method: 'POST', body: 'x'.repeat(101) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'ERR_PAYLOAD_TOO_LARGE' } });
  });

  it('verifies the raw bytes (non-ASCII body)', async () => {
    const url = await serve();
    const body = JSON.stringify({ type: 'webhook.ping', version: 'v1', timestamp: 't', data: { id: 'Zoë ✓' } });
    const ts = Math.floor(Date.now() / 1000);
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'webhook-id': 'm',
        'webhook-timestamp': String(ts),
        'webhook-signature': new Webhook(secret).sign('m', ts, body),
      },
    });
    expect(response.status).toBe(200);
  });
});
