import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

/**
 * An `onRequest` hook that answers every write (any method but GET, HEAD and OPTIONS) with
 * `503 UNAVAILABLE` while `lost()`: the SQLite file was deleted or replaced under a running
 * Herald, so what it would accept now is gone at the next start. Reads still work.
 */
export function refuseWritesWhen(lost: () => boolean) {
  return async function refuseWrites(req: FastifyRequest): Promise<void> {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || !lost()) return;
    throw new ApiError(
      'UNAVAILABLE',
      'The database file was deleted or replaced while Herald runs: writes are refused, since a restart would lose them. Stop Herald and restore herald.db from a backup',
    );
  };
}
