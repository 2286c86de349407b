/**
 * A real JWKS server on 127.0.0.1:0 (node:http) whose key set, status and liveness tests control.
 */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

type Mode = 'ok' | 'error' | 'hang' | 'endless';

export interface JwksServer {
  url: string;
  /** Requests received so far. */
  readonly hits: number;
  /** Replaces the served keys. */
  setKeys(keys: JWK[]): void;
  /** `'ok'` serves the JWKS, `'error'` answers 500, `'hang'` never answers, `'endless'` streams a body that never ends. */
  setMode(mode: Mode): void;
  /** Stops listening (connections are refused afterwards). */
  close(): Promise<void>;
}

/** Starts the server on `port` (default: a free one; pass a previous server's port to restart it). */
export async function startJwksServer(initial: JWK[], port = 0): Promise<JwksServer> {
  let keys = initial;
  let hits = 0;
  let mode: Mode = 'ok';
  const server: Server = createServer((req, res) => {
    hits++;
    if (mode === 'hang') return;
    if (mode === 'endless') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.on('error', () => undefined);
      const padding = ' '.repeat(16_384);
      const pump = (): void => {
        res.write('{"keys":[');
        while (!res.destroyed && res.write(padding));
      };
      res.on('drain', () => {
        while (!res.destroyed && res.write(padding));
      });
      pump();
      return;
    }
    if (mode === 'error') {
      res.writeHead(500).end('boom');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}/.well-known/jwks.json`,
    get hits() {
      return hits;
    },
    setKeys(next) {
      keys = next;
    },
    setMode(next) {
      mode = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
