import type { FastifyRequest } from 'fastify';
import { hashApiKey } from '../keys/api-key.js';
import { permissionDenied, unauthenticated } from './api-error.js';
import type { Store } from '../ports/store.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The project of the API key that authenticated this request. */
    projectId: string;
    /** The id of that API key (streams it opens end when it is revoked). */
    apiKeyId: string;
  }
}

/** The API key of a request: `x-goog-api-key`, `?key=`, or `Authorization: Bearer`. */
export function readApiKey(req: FastifyRequest): string | undefined {
  const header = req.headers['x-goog-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const query = (req.query as Record<string, unknown> | undefined)?.key;
  if (typeof query === 'string' && query !== '') return query;
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim() || undefined;
  return undefined;
}

/**
 * An `onRequest` hook that resolves the API key to its project. Keys are stored as SHA-256
 * hashes (they are high-entropy random strings), looked up by hash, never compared in clear.
 */
export function apiKeyAuth(store: Store) {
  return async function authenticate(req: FastifyRequest): Promise<void> {
    const key = readApiKey(req);
    if (key === undefined) {
      throw unauthenticated(
        'Missing API key: send it in the x-goog-api-key header, as ?key=, or as "Authorization: Bearer <key>"',
      );
    }
    const found = await store.findApiKey(hashApiKey(key));
    if (!found) throw permissionDenied('API key not valid: check the key, or create one with `herald keys create`');
    req.projectId = found.projectId;
    req.apiKeyId = found.keyId;
  };
}
