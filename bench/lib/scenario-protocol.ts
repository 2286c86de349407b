import type { ScenarioName, ScenarioResult } from '../types.js';
import type { Mode } from './sizes.js';

/** IPC messages between the bench process and `scenario-process.ts`. */
export interface ScenarioRequest {
  id: number;
  name: ScenarioName;
  mode: Mode;
  earlier: Partial<Record<ScenarioName, ScenarioResult>>;
  /** No progress lines on stderr. */
  quiet: boolean;
}

export type ScenarioReply = { id: number; ok: true; result: ScenarioResult } | { id: number; ok: false; error: string };
