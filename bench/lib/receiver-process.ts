/**
 * The webhook receiver, run as a CHILD PROCESS so that parsing, verifying and answering POSTs never
 * runs on Herald's event loop. It listens on N ports of 127.0.0.1 (one origin per endpoint, so every
 * endpoint gets its own keep-alive pool in the sender), stamps each arrival with the system-wide
 * monotonic clock, verifies the Standard Webhooks `v1` signature when it knows the endpoint's secret,
 * and answers 200 at once, or never (`hang`, a black hole), or refuses connections (`down`).
 * It is driven over IPC by `receivers.ts`; one such process serves every scenario of a bench process
 * (each scenario gets its own group of endpoints, addressed by global index).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { EndpointMode, ReceiverReply, ReceiverRequest, EndpointReport } from './receiver-protocol.js';

interface Endpoint {
  server: Server;
  port: number;
  mode: EndpointMode;
  key: Buffer | undefined;
  sockets: Set<Socket>;
  hanging: Set<ServerResponse>;
  stats: EndpointReport;
  seen: Set<string>;
  /** Keep every arrival's sequence number and time (latency scenarios). */
  record: boolean;
}

const endpoints: Endpoint[] = [];
let arrivalSeq: number[] = [];
let arrivalAt: number[] = [];
let arrivalEndpoint: number[] = [];

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

function emptyStats(): EndpointReport {
  return { received: 0, verified: 0, invalid: 0, duplicates: 0, firstAt: 0, lastAt: 0 };
}

function verify(key: Buffer, id: string, ts: string, body: string, header: string): boolean {
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  for (const part of header.split(' ')) {
    if (!part.startsWith('v1,')) continue;
    const got = Buffer.from(part.slice(3), 'base64');
    if (got.length === expected.length && timingSafeEqual(got, expected)) return true;
  }
  return false;
}

function handle(ep: Endpoint, index: number, body: string, headers: Record<string, string | string[] | undefined>) {
  const at = nowMs();
  const s = ep.stats;
  s.received++;
  if (s.firstAt === 0) s.firstAt = at;
  s.lastAt = at;
  const id = typeof headers['webhook-id'] === 'string' ? headers['webhook-id'] : '';
  if (ep.seen.has(id)) s.duplicates++;
  else ep.seen.add(id);
  if (ep.key) {
    const ts = headers['webhook-timestamp'];
    const sig = headers['webhook-signature'];
    if (typeof ts === 'string' && typeof sig === 'string' && verify(ep.key, id, ts, body, sig)) s.verified++;
    else s.invalid++;
  }
  if (ep.record) {
    let seq = -1;
    try {
      const parsed = JSON.parse(body) as { data?: { seq?: unknown } };
      if (typeof parsed.data?.seq === 'number') seq = parsed.data.seq;
    } catch {
      // not JSON: recorded without a sequence number
    }
    arrivalSeq.push(seq);
    arrivalAt.push(at);
    arrivalEndpoint.push(index);
  }
}

/** Gives `ep` a fresh HTTP server (not yet listening) whose handlers use `ep`'s current state. */
function attachServer(ep: Endpoint, index: number): void {
  const server = createServer();
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 0;
  server.requestTimeout = 0;
  server.on('connection', (socket: Socket) => {
    ep.sockets.add(socket);
    socket.on('close', () => ep.sockets.delete(socket));
  });
  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(ep, index, Buffer.concat(chunks).toString('utf8'), req.headers);
      if (ep.mode === 'hang') {
        ep.hanging.add(res);
        res.on('close', () => ep.hanging.delete(res));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
      res.end('ok');
    });
  });
  ep.server = server;
}

function makeEndpoint(index: number): Endpoint {
  const ep: Endpoint = {
    server: createServer(),
    port: 0,
    mode: 'ok',
    key: undefined,
    sockets: new Set(),
    hanging: new Set(),
    stats: emptyStats(),
    seen: new Set(),
    record: false,
  };
  attachServer(ep, index);
  return ep;
}

function listen(ep: Endpoint, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    ep.server.once('error', reject);
    ep.server.listen(port, '127.0.0.1', () => {
      ep.server.off('error', reject);
      resolve((ep.server.address() as AddressInfo).port);
    });
  });
}

function down(ep: Endpoint): Promise<void> {
  for (const res of ep.hanging) res.destroy();
  for (const s of ep.sockets) s.destroy();
  return new Promise((resolve) => {
    if (!ep.server.listening) return resolve();
    ep.server.close(() => resolve());
  });
}

async function onMessage(msg: ReceiverRequest): Promise<ReceiverReply> {
  switch (msg.op) {
    case 'start': {
      const base = endpoints.length;
      const urls: string[] = [];
      for (let i = 0; i < msg.endpoints; i++) {
        const index = endpoints.length;
        const ep = makeEndpoint(index);
        ep.record = msg.record;
        ep.port = await listen(ep, 0);
        endpoints.push(ep);
        urls.push(`http://127.0.0.1:${ep.port}/hooks/${index}`);
      }
      return { id: msg.id, ok: true, base, urls };
    }
    case 'configure': {
      const ep = endpoints[msg.index];
      if (!ep) throw new Error(`no endpoint ${msg.index}`);
      if (msg.secret !== undefined) ep.key = Buffer.from(msg.secret.replace(/^whsec_/, ''), 'base64');
      if (msg.mode !== undefined && msg.mode !== ep.mode) {
        const was = ep.mode;
        ep.mode = msg.mode;
        if (msg.mode === 'down') await down(ep);
        else if (was === 'down') {
          attachServer(ep, msg.index);
          await listen(ep, ep.port);
        } else if (was === 'hang') {
          for (const res of ep.hanging) res.destroy();
        }
      }
      return { id: msg.id, ok: true };
    }
    case 'reset': {
      const set = new Set(msg.indexes);
      for (const i of set) {
        const ep = endpoints[i];
        if (!ep) continue;
        ep.stats = emptyStats();
        ep.seen.clear();
      }
      const keep = arrivalEndpoint.map((e) => !set.has(e));
      arrivalSeq = arrivalSeq.filter((_, k) => keep[k]);
      arrivalAt = arrivalAt.filter((_, k) => keep[k]);
      arrivalEndpoint = arrivalEndpoint.filter((_, k) => keep[k]);
      return { id: msg.id, ok: true };
    }
    case 'report': {
      const set = new Set(msg.indexes);
      const arrivals: { seq: number[]; at: number[]; endpoint: number[] } = { seq: [], at: [], endpoint: [] };
      if (msg.arrivals) {
        for (let k = 0; k < arrivalEndpoint.length; k++) {
          if (!set.has(arrivalEndpoint[k]!)) continue;
          arrivals.seq.push(arrivalSeq[k]!);
          arrivals.at.push(arrivalAt[k]!);
          arrivals.endpoint.push(arrivalEndpoint[k]!);
        }
      }
      return {
        id: msg.id,
        ok: true,
        endpoints: msg.indexes.map((i) => ({ ...(endpoints[i]?.stats ?? emptyStats()) })),
        ...(msg.arrivals ? { arrivals } : {}),
      };
    }
    case 'close': {
      const closing = msg.indexes.map((i) => endpoints[i]).filter((e): e is Endpoint => e !== undefined);
      for (const ep of closing) {
        ep.mode = 'down';
        ep.record = false;
        ep.seen.clear();
      }
      await Promise.all(closing.map(down));
      const set = new Set(msg.indexes);
      const keep = arrivalEndpoint.map((e) => !set.has(e));
      arrivalSeq = arrivalSeq.filter((_, k) => keep[k]);
      arrivalAt = arrivalAt.filter((_, k) => keep[k]);
      arrivalEndpoint = arrivalEndpoint.filter((_, k) => keep[k]);
      return { id: msg.id, ok: true };
    }
  }
}

process.on('message', (msg: ReceiverRequest) => {
  onMessage(msg).then(
    (reply) => process.send?.(reply),
    (err: unknown) => process.send?.({ id: msg.id, ok: false, error: String(err) }),
  );
});
// The bench process owns this one: if it goes away, so do we.
process.on('disconnect', () => process.exit(0));
