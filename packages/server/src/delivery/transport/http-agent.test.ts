import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeliveryAgent } from './http-agent.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function okServer(): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, hits: () => hits };
}

describe('createDeliveryAgent', () => {
  it('returns an undici Agent that delivers to loopback when private networks are allowed', async () => {
    const server = await okServer();
    const agent = createDeliveryAgent({ allowPrivate: true });
    expect(agent).toBeInstanceOf(Agent);
    const res = await request(server.url, { dispatcher: agent, method: 'POST', body: '{}' });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('ok');
    await agent.close();
  });

  it('is SSRF-guarded when private networks are blocked', async () => {
    const server = await okServer();
    const agent = createDeliveryAgent({ allowPrivate: false, connectTimeoutMs: 1000, connectionsPerOrigin: 2 });
    await expect(request(server.url, { dispatcher: agent, method: 'POST', body: '{}' })).rejects.toMatchObject({
      code: 'ESSRFBLOCKED',
    });
    expect(server.hits()).toBe(0);
    await agent.close();
  });

  it('uses the injected resolver for names', async () => {
    const server = await okServer();
    const port = new URL(server.url).port;
    const agent = createDeliveryAgent({
      allowPrivate: true,
      maxOrigins: 10,
      lookup: (_host, _opts, cb) => {
        cb(null, [{ address: '127.0.0.1', family: 4 }]);
      },
    });
    const res = await request(`http://receiver.test:${port}/`, { dispatcher: agent, method: 'POST' });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    expect(server.hits()).toBe(1);
    await agent.close();
  });
});
