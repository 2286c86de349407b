import { CreatePortalSessionRequest, PortalSession } from '@herald/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { PortalLinkService } from '../../services/portal-link-service.js';
import { requireAdmin } from '../project-scope.js';

export interface PortalLinkRoutesOptions {
  links: PortalLinkService;
}

/**
 * `POST /projects/{projectId}:createPortalSession` (admin key) `{"ttl"?: "3600s"}` →
 * `{"url", "token", "expire_time"}`: a one-time magic link into that project's consumer portal.
 */
export const portalLinkRoutes: FastifyPluginAsyncTypebox<PortalLinkRoutesOptions> = async (app, { links }) => {
  app.post(
    '/projects/:projectId(^[^:/]+)::createPortalSession',
    {
      schema: {
        tags: ['projects'],
        summary: "A one-time link into a project's consumer portal (admin key)",
        params: Type.Object({ projectId: Type.String() }),
        body: Type.Union([CreatePortalSessionRequest, Type.Null()]),
        response: { 200: PortalSession },
      },
      onRequest: requireAdmin,
    },
    async (req) => {
      const { url, token, expireAt } = await links.create(req.params.projectId, { ttl: req.body?.ttl });
      return { url, token, expire_time: new Date(expireAt).toISOString() };
    },
  );
};
