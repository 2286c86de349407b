import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookReceiver } from '../receiver/create-receiver.js';
import { Webhook } from '../webhook.js';
import { expressWebhookHandler } from './express-handler.js';

const secret = 'whsec_' + Buffer.alloc(32, 2).toString('base64');
const wh = new Webhook(secret);
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  server = undefined;
});

async function listen(app: express.Express): Promise<string> {
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server!.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
}

const body = JSON.stringify({ type: 'webhook.ping', version: 'v1', timestamp: 't', data: { id: 'w' } });
const signed = () => {
  const ts = Math.floor(Date.now() / 1000);
  return {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': `m${ts}`,
      'webhook-timestamp': String(ts),
      'webhook-signature': wh.sign(`m${ts}`, ts, body),
    },
  };
};

describe('expressWebhookHandler', () => {
  const receiver = () => createWebhookReceiver({ verifier: wh, fallback: () => undefined });

  it('uses a Buffer body from express.raw()', async () => {
    const app = express();
    app.post('/webhooks', express.raw({ type: '*/*' }), expressWebhookHandler(receiver()));
    expect((await fetch(await listen(app), signed())).status).toBe(200);
  });

  it('reports a body already parsed by express.json() as a server error with a clear message', async () => {
    const app = express();
    const errors: string[] = [];
    app.use(express.json());
    app.post('/webhooks', expressWebhookHandler(receiver()));
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      errors.push(error.message);
      res.status(500).end();
    });
    expect((await fetch(await listen(app), signed())).status).toBe(500);
    expect(errors[0]).toContain('before express.json()');
  });

  it('answers 413 over the limit', async () => {
    const app = express();
    app.post('/webhooks', expressWebhookHandler(receiver(), { maxBodyBytes: 10 }));
    expect((await fetch(await listen(app), signed())).status).toBe(413);
  });
});
