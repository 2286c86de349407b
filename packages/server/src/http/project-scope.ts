import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

/** Names the project of a request made with the admin key on an un-prefixed route. */
export const PROJECT_HEADER = 'x-herald-project';

/** `403 PERMISSION_DENIED` for a project key on an admin-plane method. */
export const adminKeyRequired = () =>
  new ApiError(
    'PERMISSION_DENIED',
    'This method needs the admin key (HERALD_ADMIN_KEY, or <data dir>/admin-key): a project API key can only act on its own project',
  );

/** A route `onRequest` hook (after authentication) that lets only the admin key through. */
export async function requireAdmin(req: FastifyRequest): Promise<void> {
  if (!req.isAdmin) throw adminKeyRequired();
}

const projectNotFound = (id: string) => new ApiError('NOT_FOUND', `project "${id.slice(0, 63)}" not found`);

/**
 * An `onRequest` hook (after authentication) that scopes the request to the project the URL
 * (`/v1beta/projects/{projectId}/…`) or, for the admin key, the `x-herald-project` header names.
 * A project key reaches only its own project: any other id is `404 NOT_FOUND`, exactly as an id
 * that does not exist (nothing says whether another project exists). The admin key reaches every
 * project that exists.
 */
export function projectScope(exists: (projectId: string) => Promise<boolean>) {
  return async function scope(req: FastifyRequest): Promise<void> {
    const fromPath = (req.params as { projectId?: unknown } | undefined)?.projectId;
    const header = req.headers[PROJECT_HEADER];
    const requested = typeof fromPath === 'string' ? fromPath : typeof header === 'string' ? header : undefined;
    if (requested === undefined) return;
    if (!req.isAdmin) {
      if (requested !== req.projectId) throw projectNotFound(requested);
      return;
    }
    if (!(await exists(requested))) throw projectNotFound(requested);
    req.projectId = requested;
  };
}
