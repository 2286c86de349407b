import type { ScenarioContext, ScenarioName, ScenarioResult } from '../types.js';
import { apiScenario } from './api.js';
import { backlogScenario } from './backlog.js';
import { isolationScenario } from './isolation.js';
import { latencyScenario } from './latency.js';
import { scaleoutScenario } from './scaleout.js';
import { tenantsScenario } from './tenants.js';
import { throughputScenario } from './throughput.js';
import { verifyScenario } from './verify.js';

export const RUNNERS: Record<ScenarioName, (ctx: ScenarioContext) => Promise<ScenarioResult>> = {
  latency: latencyScenario,
  throughput: throughputScenario,
  backlog: backlogScenario,
  isolation: isolationScenario,
  api: apiScenario,
  verify: verifyScenario,
  scaleout: scaleoutScenario,
  tenants: tenantsScenario,
};

/**
 * Scenarios that run in a fresh Node process of their own: the backlog and the tenants, so that their peak RSS is
 * Herald's (plus a small driver) and not the heap the earlier scenarios left in the bench process.
 */
export const OWN_PROCESS: ReadonlySet<ScenarioName> = new Set(['backlog', 'tenants']);

/**
 * Scenarios a `--quick` run leaves out unless `--only` names them. Scale-out starts six
 * `herald serve` processes from source, about 5 CPU-seconds each under tsx: 50–100 s on the shared
 * 2-vCPU machine whatever the load size, which alone would take `--quick` past its minute.
 */
export const QUICK_ON_REQUEST: ReadonlySet<ScenarioName> = new Set(['scaleout']);
