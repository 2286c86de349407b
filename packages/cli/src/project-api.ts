/**
 * The admin plane of the Herald HTTP API (admin key): projects and portal links. Call these with a
 * {@link HeraldClient} that sends the admin key (`adminClientFor`).
 * @module
 */

import type {
  AdminUpdateProjectRequest,
  CreateProjectRequest,
  PortalSession,
  Project,
  ProjectList,
} from '@herald/contracts';
import type { HeraldClient } from './client.js';
import type { Page } from './client-types.js';

const id = (value: string) => encodeURIComponent(value);

/** `POST /v1beta/projects`. */
export async function createProject(client: HeraldClient, input: CreateProjectRequest): Promise<Project> {
  return (await client.request<Project>('POST', '/v1beta/projects', { body: input })).body;
}

/** `GET /v1beta/projects` (one page; `filter` is `name:<text>`). */
export async function listProjects(
  client: HeraldClient,
  page: Page & { filter?: string | undefined },
): Promise<ProjectList> {
  const query = { page_size: page.pageSize, page_token: page.pageToken, filter: page.filter };
  return (await client.request<ProjectList>('GET', '/v1beta/projects', { query })).body;
}

/** `GET /v1beta/projects/{id}`. */
export async function getProject(client: HeraldClient, projectId: string): Promise<Project> {
  return (await client.request<Project>('GET', `/v1beta/projects/${id(projectId)}`)).body;
}

/** `PATCH /v1beta/projects/{id}?update_mask=…`: the mask names the top-level fields of `input`. */
export async function updateProject(
  client: HeraldClient,
  projectId: string,
  input: AdminUpdateProjectRequest,
): Promise<Project> {
  const mask = Object.keys(input).join(',');
  const path = `/v1beta/projects/${id(projectId)}`;
  return (await client.request<Project>('PATCH', path, { query: { update_mask: mask }, body: input })).body;
}

/** `DELETE /v1beta/projects/{id}`: the project and everything it owns. */
export async function deleteProject(client: HeraldClient, projectId: string): Promise<void> {
  await client.request('DELETE', `/v1beta/projects/${id(projectId)}`);
}

/** `POST /v1beta/projects/{id}:createPortalSession`: a one-time link into the project's portal. */
export async function createPortalSession(
  client: HeraldClient,
  projectId: string,
  ttl: string | undefined,
): Promise<PortalSession> {
  const path = `/v1beta/projects/${id(projectId)}:createPortalSession`;
  return (await client.request<PortalSession>('POST', path, { body: ttl !== undefined ? { ttl } : {} })).body;
}
