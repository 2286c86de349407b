import { BATCH_KIND, INTERACTION_KIND, VIDEO_KIND } from '../kinds.js';
import type { ExecutorRunner } from '../../operations/runner/executor-runner.js';
import { batchSimulator } from './batch-simulator.js';
import { interactionSimulator } from './interaction-simulator.js';
import type { SimulatorConfig } from './sim-config.js';
import type { SimDeps } from './sim-deps.js';
import { videoSimulator } from './video-simulator.js';

/** Registers the simulated Gemini kinds (batch, video, interaction) with the in-process runner. */
export function registerSimulator(
  runner: ExecutorRunner,
  config: SimulatorConfig,
  deps: Omit<SimDeps, 'durationMs'>,
): void {
  if (!config.enabled) return;
  runner.register(BATCH_KIND, batchSimulator({ ...deps, durationMs: config.batchMs }));
  runner.register(VIDEO_KIND, videoSimulator({ ...deps, durationMs: config.videoMs }));
  runner.register(INTERACTION_KIND, interactionSimulator({ ...deps, durationMs: config.interactionMs }));
}
