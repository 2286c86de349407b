import { notFound } from '../kernel/domain-errors.js';
import type { ProjectRecord } from '../model/records.js';
import type { ProjectSettings, ProjectSettingsPatch } from '../model/signing-records.js';
import type { ProjectRepo } from '../ports/project-repo.js';

/**
 * One project as its own key sees it: the record and its settings (how dynamic deliveries are
 * signed).
 *
 * @example
 * await projects.updateSettings('default', { dynamicSigning: 'jwt' });
 */
export class ProjectService {
  readonly #repo: ProjectRepo;

  constructor(deps: { projects: ProjectRepo }) {
    this.#repo = deps.projects;
  }

  async get(projectId: string): Promise<{ project: ProjectRecord; settings: ProjectSettings }> {
    const [project, settings] = await Promise.all([
      this.#repo.getProject(projectId),
      this.#repo.getProjectSettings(projectId),
    ]);
    if (!project || !settings) throw notFound(`project "${projectId}" not found`);
    return { project, settings };
  }

  /** Applies the patch (from the next attempt on, retries included) and returns the project. */
  async updateSettings(projectId: string, patch: ProjectSettingsPatch) {
    const updated = await this.#repo.updateProjectSettings(projectId, patch);
    if (!updated) throw notFound(`project "${projectId}" not found`);
    return this.get(projectId);
  }
}
