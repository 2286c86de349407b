import { Project, UpdateProjectRequest } from '@herald/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DynamicSigningMode } from '../../model/signing-records.js';
import type { ProjectService } from '../../services/project-service.js';
import { presentProject } from '../present-signing.js';

export interface ProjectRoutesOptions {
  projects: ProjectService;
}

/**
 * The project of the calling API key: `GET /project` reads it, `PATCH /project` changes its
 * settings (`{"dynamic_signing": "jwt" | "v1a", "dynamic_audience": "…" | null}`: how deliveries to
 * `webhook_config.uris` are signed, and the JWT `aud`; a change applies from the next attempt,
 * retries included).
 */
export const projectRoutes: FastifyPluginAsyncTypebox<ProjectRoutesOptions> = async (app, { projects }) => {
  const tags = ['projects'];

  const load = async (projectId: string) => {
    const { project, settings } = await projects.get(projectId);
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
      const { project, settings } = await projects.updateSettings(req.projectId, {
        ...(mode ? { dynamicSigning: mode } : {}),
        ...(audience !== undefined ? { dynamicAudience: audience === '' ? null : audience } : {}),
      });
      return presentProject(project, settings);
    },
  );
};
