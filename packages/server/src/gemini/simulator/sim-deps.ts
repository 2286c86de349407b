import type { FileRepo } from '../../ports/file-repo.js';

/** What every simulated kind needs. */
export interface SimDeps {
  /** Input files of batches (`input.fileName`). */
  store: Pick<FileRepo, 'getFileContent'>;
  /** Simulated duration before HERALD_TIME_SCALE divides it. */
  durationMs: number;
  timeScale: number;
  /** Herald's clock. */
  now: () => number;
  /** Base of file URIs (known once Herald listens). */
  publicUrl: () => string;
}
