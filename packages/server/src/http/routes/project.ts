import { Project, UpdateProjectRequest } from '@herald/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { notFound } from '../api-error.js';
import type { DynamicSigningMode } from '../../model/signing-records.js';
import type { Store } from '../../ports/store.js';
import { presentProject } from '../present-signing.js';

export interface ProjectRoutesOptions {
  store: Store;
}

/**
 * The project of the calling API key: `GET /project` reads it, `PATCH /project` changes its
 * settings (`{"dynamic_signing": "jwt" | "v1a", "dynamic_audience": "…" | null}`: how deliveries to
 * `webhook_config.uris` are signed, and the JWT `aud`; a change applies from the next attempt,
 * retries included).
 */
export const projectRoutes: FastifyPluginAsyncTypebox<ProjectRoutesOptions> = async (app, { store }) => {
  const tags = ['projects'];

  const load = async (projectId: string) => {
    const [project, settings] = await Promise.all([store.getProject(projectId), store.getProjectSettings(projectId)]);
    if (!project || !settings) throw notFound(`project "${projectId}" not found`);
    return presentProject(project, settings);
  };

  app.get(
    '/project',
    { schema: { tags, summary: 'Get the project of this API key', response: { 200: Project } } },
    async (req) => load(req.projectId),
  );

  app.patch(
    '/project',
    {
      schema: {
        tags,
        summary: 'Change project settings (dynamic_signing: jwt | v1a; dynamic_audience)',
        body: UpdateProjectRequest,
        response: { 200: Project },
      },
    },
    async (req) => {
      const mode = req.body.dynamic_signing as DynamicSigningMode | undefined;
      const audience = req.body.dynamic_audience;
      const updated = await store.updateProjectSettings(req.projectId, {
        ...(mode ? { dynamicSigning: mode } : {}),
        ...(audience !== undefined ? { dynamicAudience: audience === '' ? null : audience } : {}),
      });
      if (!updated) throw notFound(`project "${req.projectId}" not found`);
      return load(req.projectId);
    },
  );
};
