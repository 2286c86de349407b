import type { ScenarioContext, ScenarioName, ScenarioResult } from '../types.js';
import { apiScenario } from './api.js';
import { backlogScenario } from './backlog.js';
import { isolationScenario } from './isolation.js';
import { latencyScenario } from './latency.js';
import { throughputScenario } from './throughput.js';
import { verifyScenario } from './verify.js';

export const RUNNERS: Record<ScenarioName, (ctx: ScenarioContext) => Promise<ScenarioResult>> = {
  latency: latencyScenario,
  throughput: throughputScenario,
  backlog: backlogScenario,
  isolation: isolationScenario,
  api: apiScenario,
  verify: verifyScenario,
};

/**
 * Scenarios that run in a fresh Node process of their own: the backlog, so that its peak RSS is
 * Herald's (plus a small driver) and not the heap the earlier scenarios left in the bench process.
 */
export const OWN_PROCESS: ReadonlySet<ScenarioName> = new Set(['backlog']);
