import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * How an endpoint misbehaves. `ok` always answers 200; every other mode answers the FIRST attempt of
 * every second webhook-id it sees with its fault, and every later attempt with 200.
 */
export type FaultMode = 'ok' | '5xx' | '429' | 'reset' | 'hang' | 'slow-body' | 'huge' | 'tls-garbage' | 'redirect';

export const FAULT_MODES: readonly FaultMode[] = [
  '5xx',
  '429',
  'reset',
  'hang',
  'slow-body',
  'huge',
  'tls-garbage',
  'redirect',
];

/** A TLS alert record (fatal, protocol_version): what an HTTP client reads from a TLS-only port. */
const TLS_ALERT = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]);

interface Endpoint {
  mode: FaultMode;
  server: Server;
  url: string;
  sockets: Set<Socket>;
  /** webhook-id → complete 2xx answers sent. */
  acked: Map<string, number>;
  /** webhook-ids seen at least once (the fault is decided on the first sight). */
  seen: Set<string>;
  requests: number;
  faults: number;
}

export interface EndpointTally {
  mode: FaultMode;
  requests: number;
  faults: number;
  acked: Map<string, number>;
}

/**
 * Real HTTP receivers on 127.0.0.1:0 in this process (Herald runs in child processes, so they do not
 * share an event loop). Records, per endpoint, every webhook-id it answered 200 (the receiver took
 * the event; a slow or huge body after the status line does not undo that). A `trap` endpoint
 * counts requests that followed a redirect (Herald must not follow them).
 */
export class Sink {
  readonly endpoints: Endpoint[] = [];
  trapHits = 0;
  #trap: Server | undefined;
  #trapUrl = '';
  #listeners = new Set<() => void>();

  async add(mode: FaultMode): Promise<number> {
    if (mode === 'redirect' && !this.#trap) await this.#startTrap();
    const ep: Endpoint = {
      mode,
      server: createServer(),
      url: '',
      sockets: new Set(),
      acked: new Map(),
      seen: new Set(),
      requests: 0,
      faults: 0,
    };
    ep.server.requestTimeout = 0;
    ep.server.headersTimeout = 0;
    ep.server.on('connection', (s: Socket) => {
      ep.sockets.add(s);
      s.on('close', () => ep.sockets.delete(s));
    });
    ep.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => this.#answer(ep, req, res));
    });
    await new Promise<void>((r) => ep.server.listen(0, '127.0.0.1', r));
    ep.url = `http://127.0.0.1:${(ep.server.address() as AddressInfo).port}/hook`;
    return this.endpoints.push(ep) - 1;
  }

  url(index: number): string {
    return this.endpoints[index]!.url;
  }

  tally(index: number): EndpointTally {
    const ep = this.endpoints[index]!;
    return { mode: ep.mode, requests: ep.requests, faults: ep.faults, acked: ep.acked };
  }

  /**
   * Resolves with true once every endpoint in `want` has acknowledged every id in its set, or with
   * false at `deadline` (ms since the epoch).
   */
  async waitAll(want: Map<number, readonly string[]>, deadline: number): Promise<boolean> {
    const missing = () => {
      for (const [index, ids] of want) {
        const acked = this.endpoints[index]!.acked;
        for (const id of ids) if (!acked.has(id)) return true;
      }
      return false;
    };
    if (!missing()) return true;
    return new Promise<boolean>((resolve) => {
      const check = () => {
        if (missing()) return;
        finish(true);
      };
      const timer = setTimeout(() => finish(false), Math.max(0, deadline - Date.now()));
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        resolve(ok);
      };
      this.#listeners.add(check);
    });
  }

  async close(): Promise<void> {
    const servers = [...this.endpoints.map((e) => e.server), ...(this.#trap ? [this.#trap] : [])];
    for (const ep of this.endpoints) for (const s of ep.sockets) s.destroy();
    await Promise.all(
      servers.map((s) => {
        s.closeAllConnections();
        return new Promise<void>((r) => s.close(() => r()));
      }),
    );
  }

  async #startTrap(): Promise<void> {
    const trap = createServer((req, res) => {
      this.trapHits++;
      req.resume();
      res.end('followed');
    });
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    this.#trap = trap;
    this.#trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/trap`;
  }

  #ack(ep: Endpoint, id: string): void {
    ep.acked.set(id, (ep.acked.get(id) ?? 0) + 1);
    for (const l of [...this.#listeners]) l();
  }

  #ok(ep: Endpoint, id: string, res: ServerResponse, body: string | Buffer = 'ok'): void {
    this.#ack(ep, id);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(body.length) });
    res.end(body);
  }

  #answer(ep: Endpoint, req: IncomingMessage, res: ServerResponse): void {
    ep.requests++;
    const id = String(req.headers['webhook-id'] ?? '');
    const first = !ep.seen.has(id);
    ep.seen.add(id);
    const fault = ep.mode !== 'ok' && first && ep.seen.size % 2 === 0;
    if (!fault) return this.#ok(ep, id, res);
    ep.faults++;
    switch (ep.mode) {
      case '5xx':
        res.writeHead(503, { 'content-type': 'text/plain' }).end('overloaded');
        return;
      case '429':
        res.writeHead(429, { 'retry-after': '2' }).end('slow down');
        return;
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'hang':
        return; // never answers; Herald's time-out closes the socket
      case 'slow-body': {
        // 200 at once, then a 100-byte body at one byte per 100 ms: longer than the attempt time-out.
        this.#ack(ep, id);
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
        let sent = 0;
        const t = setInterval(() => {
          if (res.destroyed || ++sent > 100) return clearInterval(t);
          if (sent === 100) res.end('.');
          else res.write('.');
        }, 100);
        res.on('close', () => clearInterval(t));
        return;
      }
      case 'huge':
        // 8 MiB of 200 body: Herald reads what it keeps of a response and drops the rest.
        return this.#ok(ep, id, res, Buffer.alloc(8 * 1024 * 1024, 0x61));
      case 'tls-garbage':
        req.socket.end(TLS_ALERT);
        return;
      case 'redirect':
        res.writeHead(307, { location: this.#trapUrl }).end();
        return;
      case 'ok':
        return;
    }
  }
}
