import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { classifyAttempt } from './classify.js';
import { createDeliveryAgent } from './http-agent.js';
import { sendAttempt, USER_AGENT } from './send-attempt.js';

interface Receiver {
  url: string;
  port: number;
  connections: number;
  /** Server-side sockets that have closed. */
  closed: number;
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }[];
}

const servers: Server[] = [];
const sockets = new Set<Socket>();

/** A real HTTP receiver on 127.0.0.1:0 that records every connection and request. */
async function receiver(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Receiver> {
  const rec: Receiver = { url: '', port: 0, connections: 0, closed: 0, requests: [] };
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      rec.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      handler(req, res);
    });
  });
  server.on('connection', (s) => {
    rec.connections++;
    sockets.add(s);
    s.on('close', () => rec.closed++);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  rec.port = (server.address() as AddressInfo).port;
  rec.url = `http://127.0.0.1:${rec.port}`;
  return rec;
}

const devAgent = createDeliveryAgent({ allowPrivate: true, connectTimeoutMs: 2000 });
const prodAgent = createDeliveryAgent({ allowPrivate: false, connectTimeoutMs: 2000 });
const signed = { 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000', 'webhook-signature': 'v1,abc=' };
const body = '{"type":"batch.succeeded","version":"v1","data":{"id":"batches/1"}}';

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
afterAll(async () => {
  await Promise.all([devAgent.close(), prodAgent.close()]);
});

describe('sendAttempt', () => {
  it('200: POSTs the exact body with JSON content type, user agent and webhook headers', async () => {
    const rec = await receiver((_req, res) => res.end('ok'));
    const result = await sendAttempt(devAgent, { url: `${rec.url}/hook?x=1`, headers: signed, body });
    expect(result).toMatchObject({ statusCode: 200, responseExcerpt: 'ok' });
    expect(result.errorCode).toBeUndefined();
    expect(result.retryAfterMs).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(classifyAttempt(result)).toBe('success');
    const [req] = rec.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/hook?x=1');
    expect(req?.body.toString()).toBe(body);
    expect(req?.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': USER_AGENT, ...signed });
  });

  it('sends byte bodies unchanged and lets caller headers override defaults case-insensitively', async () => {
    const rec = await receiver((_req, res) => res.writeHead(204).end());
    const bytes = Buffer.from('{"name":"Zoë ✓"}');
    const result = await sendAttempt(devAgent, {
      url: rec.url,
      headers: { 'Content-Type': 'application/cloudevents+json' },
      body: new Uint8Array(bytes),
    });
    expect(result).toMatchObject({ statusCode: 204, responseExcerpt: '' });
    expect(rec.requests[0]?.body).toEqual(bytes);
    expect(rec.requests[0]?.headers['content-type']).toBe('application/cloudevents+json');
  });

  it('drains bodies past the excerpt so keep-alive connections stay open for reuse', async () => {
    const rec = await receiver((_req, res) => res.end('x'.repeat(10_000)));
    for (let i = 0; i < 3; i++) {
      expect((await sendAttempt(devAgent, { url: rec.url, headers: {}, body })).statusCode).toBe(200);
    }
    expect(rec.requests).toHaveLength(3);
    expect(rec.connections).toBeLessThan(3); // undici may open a second socket; never one per request
    expect(rec.closed).toBe(0);
  });

  it('500 with a body over 4 KiB: excerpt is truncated to 4096 bytes without splitting a character', async () => {
    const rec = await receiver((_req, res) => res.writeHead(500).end(`a${'é'.repeat(5000)}`));
    const result = await sendAttempt(devAgent, { url: rec.url, headers: {}, body });
    expect(result.statusCode).toBe(500);
    expect(classifyAttempt(result)).toBe('failure');
    expect(Buffer.byteLength(result.responseExcerpt)).toBe(4095); // 'a' + 2047 × 'é'; the split 'é' is dropped
    expect(result.responseExcerpt).toBe(`a${'é'.repeat(2047)}`);
    expect(result.errorCode).toBeUndefined();
  });

  it('a 1 MiB response body is cut off without failing the attempt', async () => {
    let serverSocket: Socket | undefined;
    const rec = await receiver((req, res) => {
      serverSocket = req.socket;
      res.end(Buffer.alloc(1024 * 1024, 'z'));
    });
    const result = await sendAttempt(devAgent, { url: rec.url, headers: {}, body, excerptBytes: 100 });
    expect(result).toMatchObject({ statusCode: 200, responseExcerpt: 'z'.repeat(100) });
    expect(result.errorCode).toBeUndefined();
    // The rest is not downloaded: the connection is closed instead.
    const socket = serverSocket;
    if (socket !== undefined && !socket.destroyed) await new Promise((r) => socket.once('close', r));
    expect(rec.closed).toBe(1);
  });

  it('302 is a status, not a redirect to follow', async () => {
    const target = await receiver((_req, res) => res.end('followed'));
    const rec = await receiver((_req, res) => res.writeHead(302, { location: target.url }).end());
    const result = await sendAttempt(devAgent, { url: rec.url, headers: {}, body });
    expect(result.statusCode).toBe(302);
    expect(classifyAttempt(result)).toBe('failure');
    expect(target.requests).toHaveLength(0);
  });

  it('429 with Retry-After in seconds and 503 with an HTTP-date (injected clock)', async () => {
    const rec = await receiver((req, res) => {
      if (req.url === '/a') res.writeHead(429, { 'retry-after': '7' }).end('slow down');
      else res.writeHead(503, { 'retry-after': 'Wed, 21 Oct 2026 07:30:00 GMT' }).end();
    });
    const a = await sendAttempt(devAgent, { url: `${rec.url}/a`, headers: {}, body });
    expect(a).toMatchObject({ statusCode: 429, retryAfterMs: 7000, responseExcerpt: 'slow down' });
    expect(classifyAttempt(a)).toBe('throttled');
    const now = () => Date.UTC(2026, 9, 21, 7, 29, 0);
    const b = await sendAttempt(devAgent, { url: `${rec.url}/b`, headers: {}, body, now });
    expect(b).toMatchObject({ statusCode: 503, retryAfterMs: 60_000 });
  });

  it('a black-hole receiver that never answers times out with ETIMEDOUT', async () => {
    const hole = createNetServer((s) => sockets.add(s));
    hole.listen(0, '127.0.0.1');
    await once(hole, 'listening');
    servers.push(hole);
    const { port } = hole.address() as AddressInfo;
    const result = await sendAttempt(devAgent, { url: `http://127.0.0.1:${port}/`, headers: {}, body, timeoutMs: 300 });
    expect(result).toMatchObject({ errorCode: 'ETIMEDOUT', errorMessage: 'attempt timed out after 300 ms' });
    expect(result.statusCode).toBeUndefined();
    expect(classifyAttempt(result)).toBe('failure');
  });

  it('arms one timeout per attempt and clears it when the attempt ends (no timer fires after it)', async () => {
    const rec = await receiver((_req, res) => res.end('ok'));
    const set = vi.spyOn(globalThis, 'setTimeout');
    const cleared = vi.spyOn(globalThis, 'clearTimeout');
    try {
      const result = await sendAttempt(devAgent, { url: rec.url, headers: {}, body, timeoutMs: 12_345 });
      expect(result.statusCode).toBe(200);
      const armed = set.mock.calls.flatMap((call, i) => (call[1] === 12_345 ? [set.mock.results[i]!.value] : []));
      expect(armed).toHaveLength(1);
      expect(cleared.mock.calls.map(([handle]) => handle)).toContain(armed[0]);
    } finally {
      set.mockRestore();
      cleared.mockRestore();
    }
  });

  it('a body that stalls after a 200 keeps the status and records the timeout', async () => {
    const rec = await receiver((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
    });
    const result = await sendAttempt(devAgent, { url: rec.url, headers: {}, body, timeoutMs: 300 });
    expect(result).toMatchObject({ statusCode: 200, responseExcerpt: 'partial', errorCode: 'ETIMEDOUT' });
    expect(classifyAttempt(result)).toBe('success');
  });

  it('connection refused → ECONNREFUSED', async () => {
    const tmp = createNetServer();
    tmp.listen(0, '127.0.0.1');
    await once(tmp, 'listening');
    const { port } = tmp.address() as AddressInfo;
    await new Promise((r) => tmp.close(r));
    const result = await sendAttempt(devAgent, { url: `http://127.0.0.1:${port}/`, headers: {}, body });
    expect(result.errorCode).toBe('ECONNREFUSED');
    expect(result.statusCode).toBeUndefined();
  });

  it('never throws: an invalid URL or header becomes an error code', async () => {
    const bad = await sendAttempt(devAgent, { url: 'not a url', headers: {}, body });
    expect(bad.errorCode).toEqual(expect.any(String));
    expect(bad.responseExcerpt).toBe('');
    const badHeader = await sendAttempt(devAgent, { url: 'http://127.0.0.1:1/', headers: { 'x-bad': 'a\r\nb' }, body });
    expect(badHeader.errorCode).toEqual(expect.any(String));
  });

  describe('SSRF (private networks blocked)', () => {
    it.each([
      ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/`],
      ['[::ffff:127.0.0.1]', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`],
      ['2130706433', (port: number) => `http://2130706433:${port}/`],
      ['localhost', (port: number) => `http://localhost:${port}/`],
    ])('%s is blocked with ESSRFBLOCKED before reaching the receiver', async (_name, url) => {
      const rec = await receiver((_req, res) => res.end('reached'));
      const result = await sendAttempt(prodAgent, { url: url(rec.port), headers: {}, body });
      expect(result.errorCode).toBe('ESSRFBLOCKED');
      expect(result.errorMessage).toMatch(/SSRF guard: refusing to connect to .*127\.0\.0\.1/);
      expect(result.statusCode).toBeUndefined();
      expect(classifyAttempt(result)).toBe('failure');
      expect(rec.connections).toBe(0);
      expect(rec.requests).toHaveLength(0);
    });
  });
});
