import type { ProjectPatch, ProjectQuery } from '../model/project-records.js';
import type { ProjectRecord } from '../model/records.js';
import type { ProjectSettings, ProjectSettingsPatch } from '../model/signing-records.js';

/** Projects (tenants) and their settings. */
export interface ProjectRepo {
  ensureProject(project: ProjectRecord): Promise<ProjectRecord>;
  /** Inserts the project; false when one with that id exists (nothing changed). */
  createProject(project: ProjectRecord): Promise<boolean>;
  getProject(id: string): Promise<ProjectRecord | undefined>;
  /** A page of projects, oldest first. */
  listProjects(query: ProjectQuery): Promise<ProjectRecord[]>;
  /** Applies the patch; undefined when the project does not exist. */
  updateProject(id: string, patch: ProjectPatch): Promise<ProjectRecord | undefined>;
  /**
   * Removes the project and everything it owns (webhooks and secrets, events, deliveries and
   * attempts, operations, files, keys) in one transaction; false when it did not exist.
   */
  deleteProject(id: string): Promise<boolean>;
  getProjectSettings(projectId: string): Promise<ProjectSettings | undefined>;
  /** Applies the patch; undefined when the project does not exist. */
  updateProjectSettings(projectId: string, patch: ProjectSettingsPatch): Promise<ProjectSettings | undefined>;
}
