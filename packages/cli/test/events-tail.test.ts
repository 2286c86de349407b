import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../../server/src/testing/test-herald.js';
import { BUILD_TIMEOUT_MS, buildCli, cliFor, runCli, startCli, waitForOutput } from './helpers/cli.js';

const event = (sequence: number, type = 'invoice.ready') => ({
  id: `evt_${sequence}`,
  type,
  sequence,
  message_id: `msg_${sequence}`,
  create_time: '2026-05-04T10:20:30.000Z',
  delivery_count: 0,
  payload: { type, version: 'v1', timestamp: '2026-05-04T10:20:30.000Z', data: { n: sequence } },
});

/**
 * A stand-in for the server's stream, scripted per stream connection, recording what the CLI
 * sent. `GET /v1beta/events` (which `tail` uses to find the newest event) answers an empty log.
 */
async function fakeStream(handler: (req: IncomingMessage, res: ServerResponse, connection: number) => void) {
  const requests: IncomingMessage[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/v1beta/events?')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"events":[]}');
      return;
    }
    requests.push(req);
    open.add(res);
    res.on('close', () => open.delete(res));
    handler(req, res, requests.length);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      for (const res of open) res.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

beforeAll(buildCli, BUILD_TIMEOUT_MS);

describe('herald events tail (against a scripted stream)', () => {
  it('prints events as they arrive, skips comments and reconnects with Last-Event-ID', async () => {
    const stream = await fakeStream((req, res, connection) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (connection === 1) {
        res.write('retry: 50\n: heartbeat\n\n');
        res.write(`id: 1\nevent: invoice.ready\ndata: ${JSON.stringify(event(1))}\n\n`);
        res.write(`id: 2\r\nevent: invoice.paid\r\ndata: ${JSON.stringify(event(2, 'invoice.paid'))}\r\n\r\n`);
        res.end(); // the stream drops
      } else {
        res.write(`id: 3\nevent: invoice.ready\ndata: ${JSON.stringify(event(3))}\n\n`);
      }
    });
    try {
      const r = await runCli(['--url', stream.url, '--api-key', 'k', 'events', 'tail', '--json', '--limit', '3']);
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['evt_1', 'evt_2', 'evt_3']);
      expect(JSON.parse(lines[0]!)).toEqual(event(1)); // exactly the Event resource
      expect(stream.requests[0]!.url).toBe('/v1beta/events:stream?after=0');
      expect(stream.requests[0]!.headers.accept).toBe('text/event-stream');
      expect(stream.requests[0]!.headers['x-goog-api-key']).toBe('k');
      expect(stream.requests[1]!.headers['last-event-id']).toBe('2');
      expect(stream.requests[1]!.url).toBe('/v1beta/events:stream?after=2');
    } finally {
      await stream.close();
    }
  });

  it('prints one readable line per event, filters --types, and stops on Ctrl-C with exit 0', async () => {
    const stream = await fakeStream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`id: 7\nevent: invoice.paid\ndata: ${JSON.stringify(event(7, 'invoice.paid'))}\n\n`);
      res.write(`id: 8\nevent: invoice.ready\ndata: ${JSON.stringify(event(8))}\n\n`);
    });
    try {
      const child = startCli(['--url', stream.url, '--api-key', 'k', 'events', 'tail', '--types', 'invoice.ready']);
      const exited = new Promise<number | null>((r) => child.on('close', r));
      const [out, err] = await Promise.all([
        waitForOutput(child.stdout, /evt_8/),
        waitForOutput(child.stderr, /Following events at/),
      ]);
      expect(out).toBe('2026-05-04 10:20:30Z      #8  invoice.ready  evt_8  {"n":8}\n');
      expect(err).toMatch(/Ctrl-C to stop/);
      expect(stream.requests[0]!.url).toBe('/v1beta/events:stream?after=0&types=invoice.ready');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      await stream.close();
    }
  });

  it('explains a server without the stream (404) and exits 1', async () => {
    const stream = await fakeStream((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 404, message: 'No route', status: 'NOT_FOUND' } }));
    });
    try {
      const r = await runCli(['--url', stream.url, '--api-key', 'k', 'events', 'tail']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^herald: this Herald has no event stream \(GET \/v1beta\/events:stream answered 404/);
      expect(r.stderr).toMatch(/herald events list --after <sequence>/);
    } finally {
      await stream.close();
    }
  });
});

describe('herald events tail (against Herald)', () => {
  let herald: TestHerald;
  let cli: ReturnType<typeof cliFor>;

  beforeAll(async () => {
    herald = await startTestHerald();
    cli = cliFor(herald);
  });
  afterAll(async () => {
    await herald?.close();
  });

  it('replays after --after; without it, shows only events from now on', async (ctx) => {
    const probe = await fetch(`${herald.url}/v1beta/events:stream`, {
      headers: { 'x-goog-api-key': herald.apiKey },
      signal: AbortSignal.timeout(5000),
    }).catch((err: unknown) => err);
    if (probe instanceof Response) await probe.body?.cancel();
    ctx.skip(
      probe instanceof Response && probe.status === 404,
      'GET /v1beta/events:stream answers 404: the server has no event stream yet (keys/SSE work)',
    );

    const first = await herald.api<{ sequence: number }>('POST', '/v1beta/events', {
      type: 'job.done',
      data: { n: 1 },
    });
    await herald.api('POST', '/v1beta/events', { type: 'job.done', data: { n: 2 } });
    const replay = await cli(['events', 'tail', '--after', String(first.body.sequence), '--limit', '1', '--json']);
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ type: 'job.done', payload: { data: { n: 2 } } });

    const child = startCli([
      '--url',
      herald.url,
      '--api-key',
      herald.apiKey,
      'events',
      'tail',
      '--json',
      '--limit',
      '1',
    ]);
    const exited = new Promise<number | null>((r) => child.on('close', r));
    await waitForOutput(child.stderr, /Following events at/);
    await herald.api('POST', '/v1beta/events', { type: 'job.live', data: { n: 3 } });
    const line = await waitForOutput(child.stdout, /\n/);
    expect(JSON.parse(line)).toMatchObject({ type: 'job.live', payload: { data: { n: 3 } } });
    expect(await exited).toBe(0);
  });
});
