import { toProjectSettings, type ProjectSettings, type ProjectSettingsPatch } from '../../model/signing-records.js';
import type { Tx } from './pg-database.js';

/** A project's settings (dynamic signing mode and JWT audience) from PostgreSQL. */
export async function selectProjectSettings(
  tx: Pick<Tx, 'one'>,
  projectId: string,
): Promise<ProjectSettings | undefined> {
  const r = await tx.one<{ dynamic_signing: string; dynamic_audience: string | null }>(
    'SELECT dynamic_signing, dynamic_audience FROM projects WHERE id = $1',
    [projectId],
  );
  return r ? toProjectSettings(r) : undefined;
}

/** Applies `patch` inside `tx` and returns the settings after it (undefined: no such project). */
export async function updateProjectSettingsInTx(
  tx: Tx,
  projectId: string,
  patch: ProjectSettingsPatch,
): Promise<ProjectSettings | undefined> {
  if (patch.dynamicSigning !== undefined) {
    await tx.run('UPDATE projects SET dynamic_signing = $1 WHERE id = $2', [patch.dynamicSigning, projectId]);
  }
  if (patch.dynamicAudience !== undefined) {
    await tx.run('UPDATE projects SET dynamic_audience = $1 WHERE id = $2', [patch.dynamicAudience, projectId]);
  }
  return selectProjectSettings(tx, projectId);
}
