import { AdminUpdateProjectRequest, CreateProjectRequest, Project, ProjectList } from '@herald/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ProjectPatch } from '../../model/project-records.js';
import type { DynamicSigningMode, ProjectSettingsPatch } from '../../model/signing-records.js';
import type { ProjectAdminService } from '../../services/project-admin-service.js';
import type { ProjectService } from '../../services/project-service.js';
import { invalidArgument } from '../api-error.js';
import { readUpdateMask } from '../update-mask.js';
import { decodePageToken, encodePageToken, parsePageSize } from '../page-token.js';
import { presentProject } from '../present-signing.js';
import { requireAdmin } from '../project-scope.js';
import { readNameFilter } from '../name-filter.js';

export interface ProjectAdminRoutesOptions {
  admin: ProjectAdminService;
  projects: ProjectService;
}

const MASKABLE = ['name', 'branding', 'limits', 'dynamic_signing', 'dynamic_audience'] as const;
type Body = AdminUpdateProjectRequest;

/** The wire body's record fields → a {@link ProjectPatch} (only what `fields` names). */
function toPatch(b: Body, fields: readonly string[]): { record: ProjectPatch; settings: ProjectSettingsPatch } {
  const record: ProjectPatch = {};
  const settings: ProjectSettingsPatch = {};
  for (const f of fields) {
    if (f === 'name' && b.name !== undefined) record.name = b.name;
    if (f === 'branding' && b.branding)
      record.branding = {
        ...(b.branding.logo_uri !== undefined ? { logoUri: b.branding.logo_uri } : {}),
        ...(b.branding.accent_color !== undefined ? { accentColor: b.branding.accent_color } : {}),
      };
    if (f === 'limits' && b.limits)
      record.limits = {
        ...(b.limits.events_per_second !== undefined ? { eventsPerSecond: b.limits.events_per_second } : {}),
        ...(b.limits.max_webhooks !== undefined ? { maxWebhooks: b.limits.max_webhooks } : {}),
      };
    if (f === 'dynamic_signing' && b.dynamic_signing) settings.dynamicSigning = b.dynamic_signing as DynamicSigningMode;
    if (f === 'dynamic_audience' && b.dynamic_audience !== undefined)
      settings.dynamicAudience = b.dynamic_audience === '' ? null : b.dynamic_audience;
  }
  return { record, settings };
}

/**
 * The admin plane's projects (tenants), admin key only (a project key gets `403
 * PERMISSION_DENIED`): `POST /projects`, `GET /projects` (paged, `filter=name:acme`), `GET`,
 * `PATCH` (`update_mask`), `DELETE /projects/{projectId}` (everything the project owns goes).
 * Everything inside a project is served under `/projects/{projectId}/…` (see compose/app.ts).
 */
export const projectAdminRoutes: FastifyPluginAsyncTypebox<ProjectAdminRoutesOptions> = async (
  app,
  { admin, projects },
) => {
  const tags = ['projects'];
  // Before validation: a project key learns it needs the admin key, not what its body lacks.
  app.addHook('onRequest', requireAdmin);
  const Params = Type.Object({ projectId: Type.String() });
  const present = async (id: string) => {
    const { project, settings } = await projects.get(id);
    return presentProject(project, settings);
  };

  app.post(
    '/projects',
    {
      schema: { tags, summary: 'Create a project (admin key)', body: CreateProjectRequest, response: { 200: Project } },
    },
    async (req) => {
      const b = req.body;
      const { record, settings } = toPatch(b, MASKABLE);
      const created = await admin.create({
        id: b.id,
        name: b.name,
        ...(record.branding ? { branding: record.branding } : {}),
        ...(record.limits ? { limits: record.limits } : {}),
      });
      if (Object.keys(settings).length > 0) await projects.updateSettings(created.id, settings);
      return present(created.id);
    },
  );

  app.get(
    '/projects',
    {
      schema: {
        tags,
        summary: 'List projects, oldest first (admin key)',
        querystring: Type.Object({
          page_size: Type.Optional(Type.String()),
          pageSize: Type.Optional(Type.String()),
          page_token: Type.Optional(Type.String()),
          pageToken: Type.Optional(Type.String()),
          filter: Type.Optional(Type.String({ description: 'name:<text>: names containing the text' })),
          key: Type.Optional(Type.String()),
        }),
        response: { 200: ProjectList },
      },
    },
    async (req) => {
      const q = req.query;
      const pageSize = parsePageSize(q.page_size ?? q.pageSize, 50, 1000);
      const token = q.page_token ?? q.pageToken;
      const after = token ? decodePageToken<{ c: number; i: string }>(token, { c: 'number', i: 'string' }) : undefined;
      const rows = await admin.list({
        pageSize: pageSize + 1,
        after: after ? { createdAt: after.c, id: after.i } : undefined,
        nameContains: readNameFilter(q.filter),
      });
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      const list = await Promise.all(page.map((p) => present(p.id)));
      return {
        projects: list,
        ...(rows.length > pageSize && last
          ? { next_page_token: encodePageToken({ c: last.createdAt, i: last.id }) }
          : {}),
      };
    },
  );

  app.get(
    '/projects/:projectId',
    { schema: { tags, summary: 'Get a project (admin key)', params: Params, response: { 200: Project } } },
    async (req) => present((await admin.get(req.params.projectId)).id),
  );

  app.patch(
    '/projects/:projectId',
    {
      schema: {
        tags,
        summary: 'Update a project (admin key; update_mask optional)',
        params: Params,
        querystring: Type.Object({
          update_mask: Type.Optional(Type.String()),
          updateMask: Type.Optional(Type.String()),
          key: Type.Optional(Type.String()),
        }),
        body: AdminUpdateProjectRequest,
        response: { 200: Project },
      },
    },
    async (req) => {
      const id = req.params.projectId;
      const b = req.body;
      const fields = readUpdateMask(req.query.update_mask ?? req.query.updateMask, b, MASKABLE);
      for (const f of fields) {
        if (b[f] === undefined) throw invalidArgument(`update_mask names "${f}" but the body has no value for it`);
      }
      const { record, settings } = toPatch(b, fields);
      await admin.update(id, record);
      if (Object.keys(settings).length > 0) await projects.updateSettings(id, settings);
      return present(id);
    },
  );

  app.delete(
    '/projects/:projectId',
    {
      schema: {
        tags,
        summary: 'Delete a project and everything it owns (admin key)',
        params: Params,
        response: { 200: Type.Object({}) },
      },
    },
    async (req) => {
      await admin.delete(req.params.projectId);
      return {};
    },
  );
};
