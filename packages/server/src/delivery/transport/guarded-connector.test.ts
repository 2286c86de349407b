import { once } from 'node:events';
import type { LookupAddress, LookupAllOptions } from 'node:dns';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Agent, buildConnector, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createGuardedConnector, createGuardedLookup, guardConnector, type LookupAll } from './guarded-connector.js';

const PROD = { allowPrivate: false };
const DEV = { allowPrivate: true };

/** A fake resolver: name → fixed addresses, recording the options it was called with. */
function fakeResolver(table: Record<string, string[]>, calls: LookupAllOptions[] = []): LookupAll {
  return (hostname, options, callback) => {
    calls.push(options);
    const list = table[hostname];
    if (list === undefined) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      return;
    }
    callback(
      null,
      list.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
}

function lookupAsync(
  lookup: ReturnType<typeof createGuardedLookup>,
  hostname: string,
  all: boolean,
): Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family: unknown }> {
  return new Promise((resolve) => {
    lookup(hostname, { all }, (err, address, family) => {
      resolve({ err, address, family });
    });
  });
}

describe('createGuardedLookup', () => {
  const resolver = fakeResolver({
    mixed: ['10.0.0.1', '93.184.216.34', '::1', '2606:4700:4700::1111'],
    internal: ['127.0.0.1', '::1'],
    metadata: ['169.254.169.254'],
  });

  it('keeps only allowed addresses (all: true) and picks the first allowed one (all: false)', async () => {
    const lookup = createGuardedLookup(PROD, resolver);
    expect((await lookupAsync(lookup, 'mixed', true)).address).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700:4700::1111', family: 6 },
    ]);
    expect(await lookupAsync(lookup, 'mixed', false)).toEqual({ err: null, address: '93.184.216.34', family: 4 });
  });

  it('fails with ESSRFBLOCKED naming the addresses when nothing is allowed', async () => {
    const { err } = await lookupAsync(createGuardedLookup(PROD, resolver), 'internal', true);
    expect(err).toMatchObject({ code: 'ESSRFBLOCKED' });
    expect(err?.message).toBe(
      'SSRF guard: refusing to connect to internal (127.0.0.1, ::1): loopback address is not an allowed destination',
    );
  });

  it('allows private addresses in development but never metadata', async () => {
    expect((await lookupAsync(createGuardedLookup(DEV, resolver), 'internal', false)).address).toBe('127.0.0.1');
    const { err } = await lookupAsync(createGuardedLookup(DEV, resolver), 'metadata', false);
    expect(err?.message).toMatch(/169\.254\.169\.254\): linkLocal/);
  });

  it('passes resolver errors through unchanged and always asks for all addresses', async () => {
    const calls: LookupAllOptions[] = [];
    const { err } = await lookupAsync(createGuardedLookup(PROD, fakeResolver({}, calls)), 'nowhere', false);
    expect(err?.code).toBe('ENOTFOUND');
    expect(calls[0]?.all).toBe(true);
  });
});

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A TCP server on 127.0.0.1:0 counting connections; it answers any request with a fixed 200. */
async function countingServer(): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    sockets.add(s);
    s.once('data', () => s.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return { port: (server.address() as AddressInfo).port, connections: () => connections };
}

function connect(
  connector: buildConnector.connector,
  hostname: string,
  port: number,
): Promise<{ err: Error | null; socket: Socket | null }> {
  return new Promise((resolve) => {
    connector({ hostname, host: `${hostname}:${port}`, protocol: 'http:', port: String(port) }, (err, socket) => {
      resolve({ err, socket });
    });
  });
}

describe('guardConnector', () => {
  it('rejects blocked IP literals without calling the base connector', async () => {
    let baseCalls = 0;
    const base: buildConnector.connector = (_o, cb) => {
      baseCalls++;
      cb(new Error('should not connect'), null);
    };
    const guarded = guardConnector(base, PROD);
    for (const host of ['127.0.0.1', '[::1]', '[::ffff:7f00:1]', '10.1.1.1', '169.254.169.254']) {
      const { err } = await connect(guarded, host, 80);
      expect(err).toMatchObject({ code: 'ESSRFBLOCKED' });
    }
    expect(baseCalls).toBe(0);
  });

  it('checks the connected socket address (covers names resolved by any path, e.g. DNS rebinding)', async () => {
    const server = await countingServer();
    // The base connector resolves `localhost` itself, without the guarded lookup hook.
    const guarded = guardConnector(buildConnector({ timeout: 2000 }), PROD);
    const { err, socket } = await connect(guarded, 'localhost', server.port);
    expect(socket).toBeNull();
    expect(err).toMatchObject({ code: 'ESSRFBLOCKED' });
    expect(err?.message).toMatch(/refusing to connect to localhost \((127\.0\.0\.1|::1)\): loopback/);
  });

  it('passes allowed connections through', async () => {
    const server = await countingServer();
    const { err, socket } = await connect(guardConnector(buildConnector({}), DEV), '127.0.0.1', server.port);
    expect(err).toBeNull();
    expect(socket?.remoteAddress).toBe('127.0.0.1');
    socket?.destroy();
  });
});

describe('createGuardedConnector with an undici Agent', () => {
  it('blocks a name that resolves to a private address before any connection is made', async () => {
    const server = await countingServer();
    const lookup = fakeResolver({ 'hooks.example.test': ['127.0.0.1'] });
    const agent = new Agent({ connect: createGuardedConnector({ allowPrivate: false, lookup }) });
    await expect(
      request(`http://hooks.example.test:${server.port}/`, { dispatcher: agent, method: 'POST', body: '{}' }),
    ).rejects.toMatchObject({ code: 'ESSRFBLOCKED', message: expect.stringContaining('127.0.0.1') });
    expect(server.connections()).toBe(0);
    await agent.close();
  });

  it('connects through the guarded lookup when the policy allows it', async () => {
    const server = await countingServer();
    const lookup = fakeResolver({ 'hooks.example.test': ['127.0.0.1'] });
    const agent = new Agent({ connect: createGuardedConnector({ allowPrivate: true, lookup }) });
    const res = await request(`http://hooks.example.test:${server.port}/`, { dispatcher: agent, method: 'POST' });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('ok');
    expect(server.connections()).toBe(1);
    await agent.close();
  });
});
