import type { Store } from '../../ports/store.js';

/** What every simulated kind needs. */
export interface SimDeps {
  store: Store;
  /** Simulated duration before HERALD_TIME_SCALE divides it. */
  durationMs: number;
  timeScale: number;
  /** Herald's clock. */
  now: () => number;
  /** Base of file URIs (known once Herald listens). */
  publicUrl: () => string;
}
