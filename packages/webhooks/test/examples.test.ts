/**
 * Every example in packages/webhooks/examples, started on 127.0.0.1:0: a correctly signed
 * delivery → 2xx and handled once; a tampered one → 4xx; a replayed webhook-id → 200 duplicate.
 */
import { describe, expect, it } from 'vitest';
import { Webhook } from '@herald/webhooks';
import * as nodeHttp from '../examples/node-http.js';
import * as expressExample from '../examples/express.js';
import * as fastifyExample from '../examples/fastify.js';
import * as fetchExample from '../examples/fetch.js';

const secret = 'whsec_' + Buffer.alloc(32, 0x42).toString('base64');
const signer = new Webhook(secret);

function delivery(id: string, body: string, ts = Math.floor(Date.now() / 1000)) {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': signer.sign(id, ts, body),
    },
    body,
  };
}

const ping = JSON.stringify({
  type: 'webhook.ping',
  version: 'v1',
  timestamp: '2026-05-04T12:00:00Z',
  data: { id: 'webhooks/w1' },
});

const examples = [
  ['node:http', nodeHttp.start],
  ['Express', expressExample.start],
  ['Fastify', fastifyExample.start],
  ['Web Request/Response', fetchExample.start],
] as const;

describe.each(examples)('example: %s', (_name, start) => {
  it('accepts a signed delivery, rejects a tampered one, dedupes a replayed webhook-id', async () => {
    const server = await start({ port: 0, secret });
    try {
      const ok = await fetch(server.url, delivery('msg_ex_1', ping));
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ ok: true });

      const signed = delivery('msg_ex_2', ping);
      const tampered = await fetch(server.url, { ...signed, body: ping.replace('w1', 'w2') });
      expect(tampered.status).toBe(401);
      expect(await tampered.json()).toMatchObject({ error: { code: 'ERR_SIGNATURE_MISMATCH' } });

      const forgedHeader = await fetch(server.url, {
        ...signed,
        headers: { ...signed.headers, 'webhook-id': 'msg_other' },
      });
      expect(forgedHeader.status).toBe(401);

      const unsigned = await fetch(server.url, { method: 'POST', body: ping });
      expect(unsigned.status).toBe(400);

      const replay = await fetch(server.url, delivery('msg_ex_1', ping));
      expect(replay.status).toBe(200);
      expect(await replay.json()).toEqual({ ok: true, duplicate: true });

      expect(server.received).toEqual(['ping webhooks/w1']);
    } finally {
      await server.close();
    }
  });
});

describe('example-specific handlers', () => {
  it('Express: typed video.generated handler', async () => {
    const server = await expressExample.start({ port: 0, secret });
    try {
      const body = JSON.stringify({
        type: 'video.generated',
        version: 'v1',
        timestamp: 't',
        data: { id: 'models/veo/operations/1', output_file_uri: 'u', video_uri: 'https://v', file_name: 'files/v' },
      });
      expect((await fetch(server.url, delivery('msg_v', body))).status).toBe(200);
      expect(server.received).toEqual(['video models/veo/operations/1 at https://v']);
    } finally {
      await server.close();
    }
  });

  it('Fastify: other routes keep JSON parsing', async () => {
    const server = await fastifyExample.start({ port: 0, secret });
    try {
      const echo = await fetch(server.url.replace('/webhooks', '/echo'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      expect(await echo.json()).toEqual({ a: 1 });
    } finally {
      await server.close();
    }
  });

  it('Web handler: non-POST → 405, oversized body → 413', async () => {
    const received: string[] = [];
    const handler = fetchExample.createHandler(secret, received);
    expect((await handler(new Request('http://x/webhooks'))).status).toBe(405);
    const big = 'x'.repeat(1_048_577);
    const response = await handler(new Request('http://x/webhooks', { method: 'POST', body: big }));
    expect(response.status).toBe(413);
  });
});
