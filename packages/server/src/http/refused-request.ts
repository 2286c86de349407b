import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from './api-error.js';

const MiB = 1024 * 1024;

/** How much of a refused body Herald reads and discards so the client can read the 413. */
export const drainLimitBytes = (maxRequestBytes: number) => Math.max(16 * MiB, 4 * maxRequestBytes);

/**
 * What happens to the connection of a request Herald refuses, before the error is sent:
 *
 * - A body over the limit (413): Fastify answers before reading the body and closes the
 *   connection, which resets the socket under a client still writing the body it announced (a
 *   Node `fetch` of 5 MB sees `EPIPE`, never the 413). Instead the rest of the body is read and
 *   discarded, up to {@link drainLimitBytes}, and the connection stays usable; a body announced
 *   or sent beyond that closes it.
 * - An error that asks for it (`closeConnection`: the auth hook's refusals, no key or a key
 *   that is not valid): the connection closes after the answer, so an unauthenticated client
 *   cannot make Herald read its body.
 */
export function prepareRefusal(req: FastifyRequest, reply: FastifyReply, err: ApiError, maxRequestBytes: number): void {
  if (err.httpCode === 413) {
    const limit = drainLimitBytes(maxRequestBytes);
    const announced = Number(req.headers['content-length']);
    if (req.raw.complete || announced > limit) return;
    void reply.removeHeader('connection');
    let seen = 0;
    req.raw.on('data', (chunk: Buffer) => {
      seen += chunk.byteLength;
      if (seen > limit) req.raw.socket.destroy();
    });
    req.raw.resume();
    return;
  }
  if (err.closeConnection) {
    void reply.header('connection', 'close');
  }
}
