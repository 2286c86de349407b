import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ClosingConnections } from './closing-connections.js';

/** A keep-alive server whose one response waits for `release()`, and a client that keeps its connections 60 s. */
async function setup() {
  let release!: () => void;
  const server: Server = createServer((_req, res) => {
    release = () => res.end('done');
  });
  const closing = new ClosingConnections(server);
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
  const startRequest = async () => {
    const inFlight = request(`http://127.0.0.1:${port}/`, { dispatcher: agent });
    await new Promise<void>((r) => server.once('request', () => r()));
    return { inFlight }; // not the promise itself: an async function would wait for it
  };
  const open = () => new Promise<number>((r, j) => server.getConnections((e, n) => (e ? j(e) : r(n))));
  /** A client that connects and sends nothing (returned once the server has it). */
  const silent = async () => {
    const before = await open();
    const s = connect(port, '127.0.0.1');
    s.on('error', () => {});
    await once(s, 'connect');
    while ((await open()) <= before) await new Promise((r) => setImmediate(r));
    return s;
  };
  const cleanup = async () => {
    server.closeAllConnections();
    await agent.close();
  };
  return { server, closing, agent, release: () => release(), startRequest, silent, open, cleanup };
}

describe('ClosingConnections', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });
  const start = async () => {
    const s = await setup();
    cleanup.push(s.cleanup);
    return s;
  };

  it('ends the connection of a response that finishes after the close began', async () => {
    const s = await start();
    const { inFlight } = await s.startRequest();
    cleanup.push(async () => stop());
    const stop = s.closing.begin();
    const closed = once(s.server, 'close');
    s.server.close();
    s.release();
    expect(await (await inFlight).body.text()).toBe('done');
    await closed; // otherwise not before the 60-s keep-alive (the test would time out)
  });

  it('drops a connection that never sent a byte', async () => {
    const s = await start();
    const socket = await s.silent();
    cleanup.push(async () => stop());
    const stop = s.closing.begin();
    const closed = once(s.server, 'close');
    s.server.close();
    await closed;
    await once(socket, 'close');
  });

  it('the control: without it both connections outlive close(), which waits for them', async () => {
    const s = await start();
    const { inFlight } = await s.startRequest();
    const socket = await s.silent();
    cleanup.push(async () => void socket.destroy());
    let closed = false;
    s.server.close(() => (closed = true));
    s.release();
    expect(await (await inFlight).body.text()).toBe('done');
    await new Promise((r) => setImmediate(r));
    expect(await s.open()).toBe(2);
    expect(closed).toBe(false);
  });

  it('once stopped, watches no more', async () => {
    const s = await start();
    const { inFlight } = await s.startRequest();
    s.closing.begin()();
    s.server.close();
    s.release();
    await (await inFlight).body.text();
    await new Promise((r) => setImmediate(r));
    expect(await s.open()).toBe(1);
  });
});
