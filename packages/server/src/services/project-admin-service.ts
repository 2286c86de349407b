import type { Clock } from '../kernel/clock.js';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../kernel/domain-errors.js';
import { BASE36_LOWER, randomString } from '../kernel/random-id.js';
import type { ProjectPatch, ProjectQuery } from '../model/project-records.js';
import type { ProjectRecord } from '../model/records.js';
import type { ProjectRepo } from '../ports/project-repo.js';
import type { KeyIdentityCache } from './key-identity-cache.js';
import { checkProjectPatch, PROJECT_ID_PATTERN } from './validate-project-input.js';

/** What creating a project takes: the caller's id (a customer id) or none (one is generated). */
export interface NewProject {
  id?: string | undefined;
  name: string;
  branding?: ProjectPatch['branding'];
  limits?: ProjectPatch['limits'];
}

/**
 * The admin plane's projects (tenants): one per customer of the API builder, created, listed,
 * renamed, branded, limited and deleted with everything they own. Only the admin key reaches it.
 *
 * @example
 * const p = await admin.create({ id: 'acme', name: 'Acme Corp' });
 * await admin.delete('acme');      // webhooks, events, deliveries, operations, files, keys
 */
export class ProjectAdminService {
  readonly #repo: ProjectRepo;
  readonly #clock: Clock;
  /** The instance's own project: it holds the bootstrap key and cannot be deleted. */
  readonly #defaultProjectId: string;
  readonly #keyCache: Pick<KeyIdentityCache, 'forgetProject'> | undefined;

  /** `keyCache`: the authenticated keys to forget a deleted project's keys from, at once. */
  constructor(deps: {
    projects: ProjectRepo;
    clock: Clock;
    defaultProjectId?: string;
    keyCache?: Pick<KeyIdentityCache, 'forgetProject'>;
  }) {
    this.#repo = deps.projects;
    this.#clock = deps.clock;
    this.#defaultProjectId = deps.defaultProjectId ?? 'default';
    this.#keyCache = deps.keyCache;
  }

  async create(input: NewProject): Promise<ProjectRecord> {
    const id = input.id ?? `p-${randomString(BASE36_LOWER, 12)}`;
    if (!PROJECT_ID_PATTERN.test(id)) {
      throw invalidArgument(
        `id "${id.slice(0, 80)}" is not a valid project id: use 3 to 63 characters, lowercase letters, digits and "-", starting with a letter (${PROJECT_ID_PATTERN.source})`,
        'id',
      );
    }
    const patch = checkProjectPatch({
      name: input.name,
      ...(input.branding ? { branding: input.branding } : {}),
      ...(input.limits ? { limits: input.limits } : {}),
    });
    if (patch.name === undefined) throw invalidArgument('name is required: a display name such as "Acme Corp"', 'name');
    const record: ProjectRecord = {
      id,
      name: patch.name,
      createdAt: this.#clock.now(),
      ...(patch.branding ? { branding: dropNulls(patch.branding) } : {}),
      ...(patch.limits ? { limits: dropNulls(patch.limits) } : {}),
    };
    if (!(await this.#repo.createProject(record))) {
      throw alreadyExists(`project "${id}" already exists: choose another id, or GET /v1beta/projects/${id}`);
    }
    return (await this.#repo.getProject(id)) ?? record;
  }

  async get(id: string): Promise<ProjectRecord> {
    const p = await this.#repo.getProject(id);
    if (!p) throw notFound(`project "${id}" not found`);
    return p;
  }

  /** True when the project exists (the scope check of `/v1beta/projects/{id}/…`). */
  async exists(id: string): Promise<boolean> {
    return (await this.#repo.getProject(id)) !== undefined;
  }

  list(query: ProjectQuery): Promise<ProjectRecord[]> {
    return this.#repo.listProjects(query);
  }

  async update(id: string, patch: ProjectPatch): Promise<ProjectRecord> {
    const checked = checkProjectPatch(patch);
    const updated = await this.#repo.updateProject(id, checked);
    if (!updated) throw notFound(`project "${id}" not found`);
    return updated;
  }

  /** Removes the project and everything it owns. The instance's own project stays. */
  async delete(id: string): Promise<void> {
    if (id === this.#defaultProjectId) {
      throw failedPrecondition(
        `project "${id}" is the instance's own project (it holds HERALD_API_KEY) and cannot be deleted`,
      );
    }
    const deleted = await this.#repo.deleteProject(id);
    this.#keyCache?.forgetProject(id);
    if (!deleted) throw notFound(`project "${id}" not found`);
  }
}

function dropNulls<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}
