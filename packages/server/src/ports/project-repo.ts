import type { ProjectRecord } from '../model/records.js';
import type { ProjectSettings, ProjectSettingsPatch } from '../model/signing-records.js';

/** Projects and their settings. */
export interface ProjectRepo {
  ensureProject(project: ProjectRecord): Promise<ProjectRecord>;
  getProject(id: string): Promise<ProjectRecord | undefined>;
  getProjectSettings(projectId: string): Promise<ProjectSettings | undefined>;
  /** Applies the patch; undefined when the project does not exist. */
  updateProjectSettings(projectId: string, patch: ProjectSettingsPatch): Promise<ProjectSettings | undefined>;
}
