import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * What the HTTP server does with clients that send too much, too slowly, or without a key
 * (issue #15): a body over the limit gets a 413 the client can read (the rest of the body is
 * drained, up to a bound, instead of the socket being reset under the client's writes), a
 * slow-header or slow-body client is cut off, and a request refused for its key closes the
 * connection instead of reading whatever body follows.
 */
let h: TestHerald | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await h?.close();
  h = undefined;
});

interface RawClient {
  socket: Socket;
  received: () => string;
  /** Resolves once `pattern` appears in what the server sent. */
  waitFor(pattern: RegExp): Promise<void>;
  /** Resolves with 'closed' once the server closes, or 'open' after `ms`. */
  closedWithin(ms: number): Promise<'closed' | 'open'>;
  write(data: string | Buffer): Promise<void>;
}

function rawClient(url: string): Promise<RawClient> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      sockets.push(socket);
      let data = '';
      let closed = false;
      const listeners: (() => void)[] = [];
      socket.on('data', (b: Buffer) => {
        data += b.toString('latin1');
        for (const l of listeners.slice()) l();
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        closed = true;
        for (const l of listeners.slice()) l();
      });
      resolve({
        socket,
        received: () => data,
        waitFor: (pattern) =>
          new Promise<void>((ok, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`no ${String(pattern)} in 10 s; got: ${data.slice(0, 300)}`)),
              10_000,
            );
            const check = () => {
              if (pattern.test(data)) ok();
              else if (closed) fail(new Error(`closed before ${String(pattern)}; got: ${data.slice(0, 300)}`));
              else return listeners.push(check);
              clearTimeout(timer);
              return undefined;
            };
            check();
          }),
        closedWithin: (ms) =>
          new Promise((ok) => {
            if (closed) return ok('closed');
            const timer = setTimeout(() => ok('open'), ms);
            socket.once('close', () => {
              clearTimeout(timer);
              ok('closed');
            });
          }),
        write: (chunk) =>
          new Promise((ok, fail) => {
            socket.write(chunk, (err) => (err ? fail(err) : ok()));
          }),
      });
    });
    socket.once('error', reject);
  });
}

const MiB = 1024 * 1024;

describe('a body over the limit', () => {
  it('gets a 413 that a client still writing its body can read; the body is drained and the connection reused', async () => {
    h = await startTestHerald({ config: { maxRequestBytes: MiB } });
    const c = await rawClient(h.url);
    const total = 5 * MiB;
    await c.write(
      `POST /v1beta/events HTTP/1.1\r\nhost: x\r\nx-goog-api-key: ${h.apiKey}\r\ncontent-type: application/json\r\ncontent-length: ${total}\r\n\r\n`,
    );
    await c.write(Buffer.alloc(MiB / 2, 97));
    await c.waitFor(/HTTP\/1.1 413[^]*\r\n\r\n\{"error"[^]*larger than 1048576 bytes/);
    // The client goes on sending the body it announced: no reset under its writes.
    for (let sent = MiB / 2; sent < total; sent += MiB / 2) await c.write(Buffer.alloc(MiB / 2, 97));
    // …and the same connection answers the next request.
    await c.write('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n');
    await c.waitFor(/HTTP\/1.1 200[^]*"ok"/);
    c.socket.destroy();
  }, 30_000);

  it('with a Node fetch of 5 MB, reads the 413', async () => {
    h = await startTestHerald({ config: { maxRequestBytes: MiB } });
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${h.url}/v1beta/events`, {
        method: 'POST',
        headers: { 'x-goog-api-key': h.apiKey, 'content-type': 'application/json' },
        body: Buffer.alloc(5 * MiB, 97),
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/larger than 1048576/);
    }
  }, 30_000);

  it('announced beyond what Herald drains: 413 and the connection closes', async () => {
    h = await startTestHerald({ config: { maxRequestBytes: MiB } });
    const c = await rawClient(h.url);
    await c.write(
      `POST /v1beta/events HTTP/1.1\r\nhost: x\r\nx-goog-api-key: ${h.apiKey}\r\ncontent-type: application/json\r\ncontent-length: ${1024 * MiB}\r\n\r\n`,
    );
    await c.waitFor(/HTTP\/1.1 413[^]*connection: close/i);
    expect(await c.closedWithin(5000)).toBe('closed');
  });
});

describe('a request refused for its API key', () => {
  it.each([
    ['no key', ''],
    ['a wrong key', 'x-goog-api-key: hk_wrong\r\n'],
  ])('with %s closes the connection after the answer', async (_what, keyHeader) => {
    h = await startTestHerald();
    const c = await rawClient(h.url);
    await c.write(
      `POST /v1beta/events HTTP/1.1\r\nhost: x\r\n${keyHeader}content-type: application/json\r\ncontent-length: 100000\r\n\r\n{"type":`,
    );
    await c.waitFor(/HTTP\/1.1 40[03][^]*connection: close/i);
    expect(await c.closedWithin(5000)).toBe('closed');
  });
});

describe('slow clients', () => {
  it('one that never finishes its headers is cut off after headersTimeoutMs', async () => {
    h = await startTestHerald({ config: { headersTimeoutMs: 500, requestTimeoutMs: 1000 } });
    const c = await rawClient(h.url);
    await c.write('GET /healthz HTTP/1.1\r\nhost: x\r\n');
    expect(await c.closedWithin(8000)).toBe('closed');
  }, 15_000);

  it('one that sends its body a byte at a time is cut off after requestTimeoutMs, unauthenticated too', async () => {
    h = await startTestHerald({ config: { headersTimeoutMs: 500, requestTimeoutMs: 1000 } });
    const c = await rawClient(h.url);
    await c.write(
      `POST /v1beta/events HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n`,
    );
    const drip = setInterval(() => c.socket.write('a'), 100);
    try {
      expect(await c.closedWithin(8000)).toBe('closed');
    } finally {
      clearInterval(drip);
    }
  }, 15_000);
});
