import { Cannon, type CannonResult } from '../lib/autocannon-runner.js';
import type { ScenarioContext, ScenarioResult, TableRow } from '../types.js';
import { ms, num, startTopology } from './shared.js';

/**
 * Scenario 5, API: autocannon (in a child process) against a fresh Herald on loopback.
 * Order matters and is fixed: event ingest with one subscribed webhook (the engine delivers
 * meanwhile), webhook create (which leaves many webhooks behind), webhook list (pages of 50 out of
 * those), then event ingest again with all those webhooks in the project.
 */
export async function apiScenario(ctx: ScenarioContext): Promise<ScenarioResult> {
  const s = ctx.sizes.api;
  const started = performance.now();
  // The create row measures webhook creation, not the per-project cap (1,000 by default, tested
  // in test/webhook-cap.store.test.ts): a fast run would otherwise hit the cap and fail.
  const topo = await startTopology(1, 'bench.api', { record: false, config: { projectMaxWebhooks: 100_000 } });
  const results: { label: string; r: CannonResult }[] = [];
  const cannon = new Cannon();
  try {
    const { host } = topo;
    const headers = { 'x-goog-api-key': host.herald.apiKey, 'content-type': 'application/json' };
    const run = async (label: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
      ctx.log(`api: ${label} (${s.durationSec} s, ${s.connections} connections)`);
      const r = await cannon.run({
        url: host.url + path,
        method,
        headers: body === undefined ? { 'x-goog-api-key': host.herald.apiKey } : headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        connections: s.connections,
        durationSec: s.durationSec,
      });
      results.push({ label, r });
      return r;
    };
    await run('POST /v1beta/events (1 subscribed webhook)', 'POST', '/v1beta/events', {
      type: 'bench.api0',
      data: { id: 'operations/bench', ok: true },
    });
    const created = await run('POST /v1beta/webhooks (create)', 'POST', '/v1beta/webhooks', {
      name: 'bench',
      uri: topo.rx.urls[0],
      subscribed_events: ['bench.unused'],
    });
    await run(`GET /v1beta/webhooks (list, first page of 50)`, 'GET', '/v1beta/webhooks');
    await run(
      `POST /v1beta/events (1 subscribed of ${num(created.total - created.non2xx + 1)} webhooks)`,
      'POST',
      '/v1beta/events',
      { type: 'bench.api0', data: { id: 'operations/bench', ok: true } },
    );
  } finally {
    await cannon.stop();
    await topo.close();
  }
  const rows: TableRow[] = results.map(({ label, r }) => ({
    scenario: '5 API',
    metric: label,
    herald: `${num(r.requestsPerSec)} req/s`,
    baseline: '',
    comparison: `p50 ${ms(r.latencyP50)}, p99 ${ms(r.latencyP99)}${r.non2xx + r.errors > 0 ? `; ${num(r.non2xx)} non-2xx, ${num(r.errors)} errors` : ''}`,
  }));
  const bad = results.filter(({ r }) => r.total === 0 || r.non2xx > r.total / 2);
  return {
    status: bad.length === 0 ? 'ok' : 'error',
    ...(bad.length > 0 ? { note: `mostly failing: ${bad.map((b) => b.label).join('; ')}` } : {}),
    elapsedMs: performance.now() - started,
    data: { sizes: s, runs: results.map(({ label, r }) => ({ label, ...r })) },
    rows,
    targets: [],
  };
}
