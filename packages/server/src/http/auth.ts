import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';
import { errorInfo, localizedMessage } from './error-details.js';
import type { ApiKeyService } from '../services/api-key-service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The project of the API key that authenticated this request. */
    projectId: string;
    /** The id of that API key (streams it opens end when it is revoked). */
    apiKeyId: string;
    /** The request authenticated with an admin key (`HERALD_ADMIN_KEY`): it may act on any project. */
    isAdmin: boolean;
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

/** Gemini's answer to a request without an API key, word for word (googleapis/js-genai#898). */
export const NO_API_KEY_MESSAGE =
  "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";

/** Gemini's answer to an unknown API key, word for word (google-gemini/gemini-cli#4690). */
export const INVALID_API_KEY_MESSAGE = 'API key not valid. Please pass a valid API key.';

/** `403 PERMISSION_DENIED`, as Gemini answers a request that carries no API key. */
export const missingApiKey = () =>
  new ApiError('PERMISSION_DENIED', NO_API_KEY_MESSAGE, undefined, { closeConnection: true });

/**
 * `400 INVALID_ARGUMENT` with `ErrorInfo{reason: "API_KEY_INVALID"}` and a `LocalizedMessage`, as
 * Gemini answers an unknown (or revoked) key; the SDK raises its usual `ApiError` with this message.
 */
export const invalidApiKey = () =>
  new ApiError('INVALID_ARGUMENT', INVALID_API_KEY_MESSAGE, undefined, {
    details: [errorInfo('API_KEY_INVALID'), localizedMessage(INVALID_API_KEY_MESSAGE)],
    closeConnection: true,
  });

/**
 * An `onRequest` hook that resolves the API key to its project. Keys are stored as SHA-256
 * hashes (they are high-entropy random strings), looked up by hash, never compared in clear.
 * No key: `403 PERMISSION_DENIED`; an unknown or revoked key: `400 INVALID_ARGUMENT`
 * (`API_KEY_INVALID`), both in Gemini's words (docs/errors.md).
 */
export function apiKeyAuth(apiKeys: Pick<ApiKeyService, 'authenticate'>) {
  return async function authenticate(req: FastifyRequest): Promise<void> {
    const key = readApiKey(req);
    if (key === undefined) throw missingApiKey();
    const found = await apiKeys.authenticate(key);
    if (!found) throw invalidApiKey();
    req.projectId = found.projectId;
    req.apiKeyId = found.keyId;
    req.isAdmin = found.admin;
  };
}
