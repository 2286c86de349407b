/**
 * Advice under the admin plane's usual errors: 404 (no such project), 409 (the id is taken).
 * @module
 */

import { ApiError } from '../client.js';

/** The server's error with advice for the admin plane's usual mistakes (404, 409). */
export function withHint(err: unknown, projectId: string | undefined): unknown {
  if (!(err instanceof ApiError) || err.hint !== undefined) return err;
  const hint =
    err.httpStatus === 404
      ? 'see the projects there are: herald projects list'
      : err.httpStatus === 409 && projectId !== undefined
        ? `pick another --id, or look at that one: herald projects get ${projectId}`
        : undefined;
  return hint === undefined ? err : new ApiError(err.httpStatus, err.status, err.serverMessage, hint);
}

/** Runs an admin-plane call, adding the hint of {@link withHint} to its error. */
export async function hinted<T>(projectId: string | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw withHint(err, projectId);
  }
}
