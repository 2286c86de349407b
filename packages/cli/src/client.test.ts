import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ConnectionError, HeraldClient, normalizeBaseUrl } from './client.js';

describe('normalizeBaseUrl', () => {
  it.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
    ['https://h.example.com/herald/v1beta/', 'https://h.example.com/herald'],
    ['http://h/v1', 'http://h'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeBaseUrl(input)).toBe(expected);
  });

  it.each(['localhost:8080', 'ftp://h', 'http://h/?x=1', 'not a url'])('rejects %s', (input) => {
    expect(normalizeBaseUrl(input)).toBeUndefined();
  });
});

describe('HeraldClient errors', () => {
  let server: Server;
  let base: string;
  const seen: { method: string | undefined; url: string | undefined; headers: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers });
      if (req.url?.startsWith('/v1beta/webhooks/missing')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 404, message: 'webhook "missing" not found', status: 'NOT_FOUND' } }));
      } else if (req.url?.startsWith('/v1beta/webhooks/denied')) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 403, message: 'API key not valid', status: 'PERMISSION_DENIED' } }));
      } else if (req.url?.startsWith('/v1beta/webhooks/proxy')) {
        res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
      } else if (req.url?.startsWith('/v1beta/webhooks/html')) {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"webhooks":[]}');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('sends the key as x-goog-api-key and encodes ids and queries', async () => {
    const client = new HeraldClient({ url: base, apiKey: 'hk_test', userAgent: 'herald-cli/test' });
    await client.listWebhooks({ pageSize: 5 });
    await client.listEvents({ after: 3, types: ['a.b', 'c.d'] });
    await client.getDelivery('a/b c').catch(() => undefined);
    expect(seen[0]).toMatchObject({ url: '/v1beta/webhooks?page_size=5' });
    expect(seen[0]!.headers['x-goog-api-key']).toBe('hk_test');
    expect(seen[0]!.headers['user-agent']).toBe('herald-cli/test');
    expect(seen[1]!.url).toBe('/v1beta/events?after=3&types=a.b%2Cc.d');
    expect(seen[2]!.url).toBe('/v1beta/deliveries/a%2Fb%20c');
  });

  it('turns an error body into an ApiError with the server message, status and code', async () => {
    const client = new HeraldClient({ url: base, apiKey: 'k', authHint: 'the key came from --api-key' });
    const err = await client.getWebhook('missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('webhook "missing" not found (HTTP 404 NOT_FOUND)');
    expect((err as ApiError).hint).toBeUndefined();
    const denied = (await client.getWebhook('denied').catch((e: unknown) => e)) as ApiError;
    expect(denied.hint).toBe('the key came from --api-key');
  });

  it('says when the answer is not from Herald', async () => {
    const client = new HeraldClient({ url: base });
    await expect(client.getWebhook('proxy')).rejects.toThrow(/HTTP 502 UNKNOWN/);
    await expect(client.getWebhook('proxy')).rejects.toThrow(/is --url pointing at Herald/);
    await expect(client.getWebhook('html')).rejects.toThrow(ConnectionError);
  });

  it('explains a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await new HeraldClient({ url }).listWebhooks().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toBe(
      `cannot reach Herald at ${url} (ECONNREFUSED): is \`herald serve\` running? set --url or HERALD_URL`,
    );
  });
});
