import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const RESPONSE_FINISH = 'http.server.response.finish';

/**
 * Lets a closing HTTP server end its connections as soon as nothing is lost by it.
 *
 * `server.close()` closes the keep-alive connections idle at that moment and then waits for the
 * rest, with nothing to end them: a connection whose response ends later (a request in flight,
 * an event stream a `preClose` hook ended) stays open until the client hangs up or the keep-alive
 * timeout passes (72 s in Fastify); so does a connection the client opened and sent nothing on
 * (browsers and undici open spare ones), for which Node stopped checking the headers timeout.
 * Remembers the server's connections (one listener per connection, nothing per request).
 */
export class ClosingConnections {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor(server: Server) {
    this.#server = server;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /**
   * Call as the server starts closing: drops the connections that never sent a byte, and ends each
   * other one once its response has been sent. Returns the function that stops watching. Costs
   * nothing until called: Node publishes to the channel only while it has a subscriber.
   */
  begin(): () => void {
    const onFinish = (message: unknown) => {
      const m = message as { socket: Socket; server: Server };
      if (m.server === this.#server) m.socket.end();
    };
    subscribe(RESPONSE_FINISH, onFinish);
    for (const socket of this.#sockets) if (socket.bytesRead === 0) socket.destroy();
    return () => {
      unsubscribe(RESPONSE_FINISH, onFinish);
    };
  }
}
