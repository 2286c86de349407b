import { runStream, type StreamResult } from '../lib/stream.js';
import { ratio } from '../lib/stats.js';
import type { ScenarioContext, ScenarioResult, TableRow, TargetCheck } from '../types.js';
import { ms, startTopology, times } from './shared.js';

export const HEALTHY_ENDPOINTS = 5;

/**
 * Scenario 1, notification latency: events at a steady rate to 5 healthy endpoints (round-robin),
 * commit → signed POST at the receiver; polling clients on `GET /v1beta/events?after=` every 1 s and
 * every 5 s measured against the same events in the same run. Then the same through the HTTP ingest.
 */
export async function latencyScenario(ctx: ScenarioContext): Promise<ScenarioResult> {
  const s = ctx.sizes.latency;
  const started = performance.now();
  const rows: TableRow[] = [];
  const targets: TargetCheck[] = [];

  const topo = await startTopology(HEALTHY_ENDPOINTS, 'bench.h', { record: true });
  let inprocess: StreamResult;
  let http: StreamResult;
  try {
    const healthy = topo.types.map((type, index) => ({ index, type }));
    ctx.log(
      `latency: ${s.events} events at ${s.ratePerSec}/s in process, polling every ${s.pollPeriodsMs.join(' and ')} ms`,
    );
    inprocess = await runStream(topo.host, topo.rx, {
      events: s.events,
      ratePerSec: s.ratePerSec,
      healthy,
      via: 'inprocess',
      pollers: { periodsMs: s.pollPeriodsMs, perPeriod: s.pollersPerPeriod },
    });
    await topo.rx.reset();
    ctx.log(`latency: ${s.httpEvents} events at ${s.ratePerSec}/s through POST /v1beta/events`);
    http = await runStream(topo.host, topo.rx, {
      events: s.httpEvents,
      ratePerSec: s.ratePerSec,
      healthy,
      via: 'http',
    });
  } finally {
    await topo.close();
  }

  const p = inprocess.push;
  rows.push({
    scenario: '1 latency',
    metric: `commit → signed POST, p50 / p95 / p99 (${p.count} events at ${s.ratePerSec}/s)`,
    herald: `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.p99)}`,
    baseline: '',
    comparison: 'target p99 ≤ 10 ms',
  });
  for (const poll of inprocess.polling) {
    const d = poll.detection;
    rows.push({
      scenario: '1 latency',
      metric: `vs polling every ${poll.periodMs / 1000} s (${poll.clients} clients), p50 / p99`,
      herald: `${ms(p.p50)} / ${ms(p.p99)}`,
      baseline: `${ms(d.p50)} / ${ms(d.p99)}`,
      comparison: `${times(ratio(d.p50, p.p50))} / ${times(ratio(d.p99, p.p99))} faster`,
    });
  }
  const h = http.push;
  rows.push({
    scenario: '1 latency',
    metric: `HTTP ingest: POST sent → signed POST, p50 / p95 / p99 (${h.count} events)`,
    herald: `${ms(h.p50)} / ${ms(h.p95)} / ${ms(h.p99)}`,
    baseline: '',
    comparison: '',
  });
  rows.push({
    scenario: '1 latency',
    metric: 'Herald event-loop delay during the in-process run, p50 / p99 / max',
    herald: `${ms(inprocess.loopDelay.p50)} / ${ms(inprocess.loopDelay.p99)} / ${ms(inprocess.loopDelay.max)}`,
    baseline: '',
    comparison: '',
  });

  targets.push({
    scenario: 'latency',
    target: 'notification p99 ≤ 10 ms',
    result: ms(p.p99),
    met: p.count > 0 ? p.p99 <= 10 : null,
  });
  const oneSec = inprocess.polling.find((x) => x.periodMs === 1000);
  if (oneSec) {
    const r50 = ratio(oneSec.detection.p50, p.p50);
    const r99 = ratio(oneSec.detection.p99, p.p99);
    targets.push({
      scenario: 'latency',
      target: '≥ 100× better than polling every 1 s (p50 and p99)',
      result: `${times(r50)} (p50), ${times(r99)} (p99)`,
      met: p.count > 0 ? r50 >= 100 && r99 >= 100 : null,
    });
  }

  return {
    status: inprocess.missing === 0 && http.missing === 0 ? 'ok' : 'error',
    ...(inprocess.missing + http.missing > 0
      ? { note: `${inprocess.missing + http.missing} events never reached the receiver` }
      : {}),
    elapsedMs: performance.now() - started,
    data: { sizes: s, inprocess, http },
    rows,
    targets,
  };
}
