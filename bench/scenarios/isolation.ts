import { runStream, type StreamResult } from '../lib/stream.js';
import { ratio, type Percentiles } from '../lib/stats.js';
import type { ScenarioContext, ScenarioResult, TableRow, TargetCheck } from '../types.js';
import { HEALTHY_ENDPOINTS } from './latency.js';
import { ms, num, startTopology, times } from './shared.js';

/**
 * Scenario 4, isolation: the latency scenario's healthy stream (same rate, same 5 healthy endpoints)
 * plus an equal stream to 5 black-hole endpoints that accept the connection and never answer (each
 * attempt ends at `attemptTimeoutMs`). Healthy latency percentiles are compared with scenario 1's.
 */
export async function isolationScenario(ctx: ScenarioContext): Promise<ScenarioResult> {
  const s = ctx.sizes.isolation;
  const rate = ctx.sizes.latency.ratePerSec;
  const started = performance.now();
  const holes = HEALTHY_ENDPOINTS;
  /** The healthy stream plus an equal one to `holes` more endpoints: black holes, or healthy. */
  const pass = async (blackHoles: boolean) => {
    const topo = await startTopology(HEALTHY_ENDPOINTS + holes, 'bench.i', {
      record: true,
      config: { attemptTimeoutMs: s.attemptTimeoutMs },
    });
    try {
      const holeIdx = Array.from({ length: holes }, (_, i) => HEALTHY_ENDPOINTS + i);
      if (blackHoles) await topo.rx.setMode(holeIdx, 'hang');
      ctx.log(
        `isolation: ${s.healthyEvents} healthy events at ${rate}/s plus as many to ${holes} ${blackHoles ? `black holes (attempt timeout ${s.attemptTimeoutMs} ms)` : 'more healthy endpoints (control)'}`,
      );
      const result = await runStream(topo.host, topo.rx, {
        events: s.healthyEvents,
        ratePerSec: rate,
        healthy: topo.types.slice(0, HEALTHY_ENDPOINTS).map((type, index) => ({ index, type })),
        extraTypes: holeIdx.map((i) => topo.types[i]!),
        via: 'inprocess',
      });
      return { result, failedAttempts: topo.host.counts.pending + topo.host.counts.failed };
    } finally {
      await topo.close();
    }
  };
  const withHoles = await pass(true);
  const run: StreamResult = withHoles.result;
  const blackHoleAttempts = withHoles.failedAttempts;
  // Control: the same doubled event rate with every endpoint answering, to tell what the black
  // holes cost from what twice the commits cost.
  const control = (await pass(false)).result;

  const baseline = (ctx.earlier.latency?.data.inprocess as { push?: Percentiles } | undefined)?.push;
  const p = run.push;
  const rows: TableRow[] = [
    {
      scenario: '4 isolation',
      metric: `healthy endpoints with ${holes} black holes, p50 / p95 / p99 (${p.count} events)`,
      herald: `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.p99)}`,
      baseline: baseline
        ? `${ms(baseline.p50)} / ${ms(baseline.p95)} / ${ms(baseline.p99)} (scenario 1)`
        : 'scenario 1 not run',
      comparison: baseline ? `p99 ${times(ratio(p.p99, baseline.p99))} of scenario 1` : '',
    },
    {
      scenario: '4 isolation',
      metric: `control: the same load, the ${holes} other endpoints healthy, p50 / p95 / p99 (${control.push.count} events)`,
      herald: `${ms(control.push.p50)} / ${ms(control.push.p95)} / ${ms(control.push.p99)}`,
      baseline: '',
      comparison: `black holes: p99 ${times(ratio(p.p99, control.push.p99))} of the control`,
    },
    {
      scenario: '4 isolation',
      metric: 'black-hole attempts timed out meanwhile; Herald event-loop delay p99',
      herald: `${num(blackHoleAttempts)}; ${ms(run.loopDelay.p99)}`,
      baseline: '',
      comparison: '',
    },
  ];
  const targets: TargetCheck[] = [
    {
      scenario: 'isolation',
      target: "healthy endpoints' p99 within 2× of scenario 1 under black holes",
      result: baseline
        ? `${ms(p.p99)} vs ${ms(baseline.p99)} (${times(ratio(p.p99, baseline.p99))})`
        : 'scenario 1 not run',
      met: baseline && p.count > 0 ? p.p99 <= 2 * baseline.p99 : null,
    },
  ];
  return {
    status: run.missing === 0 && control.missing === 0 ? 'ok' : 'error',
    ...(run.missing > 0 ? { note: `${run.missing} healthy events never reached the receiver` } : {}),
    elapsedMs: performance.now() - started,
    data: { sizes: s, ratePerSec: rate, run, control, blackHoleAttempts, scenario1: baseline ?? null },
    rows,
    targets,
  };
}
