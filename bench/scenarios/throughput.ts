import { monitorEventLoopDelay } from 'node:perf_hooks';
import { bullmqBuild, ceilingLoop, cpuMsSince, reachable, type BaselineRun, type Target } from '../lib/baselines.js';
import { inFlight } from '../lib/in-flight.js';
import { postEventsFromChild } from '../lib/loadgen.js';
import { relayCeiling, type RelayRun } from '../lib/relay-ceiling.js';
import { storeCost, type StoreCost } from '../lib/store-cost.js';
import { Receivers } from '../lib/receivers.js';
import { newSecret, secretKey } from '../lib/sign.js';
import { ratio } from '../lib/stats.js';
import { nowMs, sleep } from '../lib/time.js';
import type { ScenarioContext, ScenarioResult, TableRow, TargetCheck } from '../types.js';
import { num, pct, startTopology, times } from './shared.js';

/** Events a request in the batch-ingest run. */
const BATCH_SIZE = 100;

/** Herald's default per-destination cap: the baselines get the same total concurrency. */
const PER_DESTINATION = 16;

export interface HeraldRun extends BaselineRun {
  /** Events the producer got accepted (in-process emits, or 200 answers to POST /v1beta/events). */
  accepted: number;
  ingestPerSec: number;
  /** True when every one of the scenario's events was delivered before the cap. */
  complete: boolean;
  loopDelayP99Ms: number;
  verified: number;
  duplicates: number;
}

async function heraldRun(
  rx: Receivers,
  endpoints: number,
  events: number,
  producerConcurrency: number,
  capMs: number,
  via: 'inprocess' | 'http' | 'http-batch',
): Promise<HeraldRun> {
  await rx.reset();
  const topo = await startTopology(endpoints, 'bench.t', { record: false, receivers: rx });
  const loop = monitorEventLoopDelay({ resolution: 1 });
  try {
    const { host, types } = topo;
    loop.enable();
    const cpu = process.cpuUsage();
    const started = nowMs();
    const capAt = started + capMs;
    let accepted = 0;
    let ingestMs = 0;
    if (via === 'inprocess') {
      await inFlight(
        events,
        producerConcurrency,
        async (seq) => {
          await host.herald.events.emit(host.herald.projectId, { type: types[seq % types.length]!, data: { seq } });
          accepted++;
        },
        () => nowMs() < capAt,
      );
      ingestMs = nowMs() - started;
    } else {
      const r = await postEventsFromChild({
        url: host.url,
        apiKey: host.herald.apiKey,
        types,
        count: events,
        durationMs: capMs,
        connections: via === 'http-batch' ? Math.max(2, Math.ceil(producerConcurrency / 10)) : producerConcurrency,
        ...(via === 'http-batch' ? { batch: BATCH_SIZE } : {}),
      });
      if (r.errors > 0 && r.accepted === 0) throw new Error(`HTTP ingest failed: ${r.firstError}`);
      accepted = r.accepted;
      ingestMs = r.elapsedMs;
    }
    // Deliveries of what was accepted, until the cap.
    while (host.counts.succeeded < accepted && nowMs() < capAt) await sleep(20);
    const end = host.counts.succeeded >= accepted ? host.lastSuccessAt : nowMs();
    const delivered = host.counts.succeeded;
    const elapsedMs = Math.max(1, end - started);
    const cpuMs = cpuMsSince(cpu);
    loop.disable();
    const totals = await rx.totals();
    return {
      delivered,
      elapsedMs,
      perSec: Math.round((delivered / elapsedMs) * 1000),
      retries: host.counts.pending + host.counts.failed,
      cpuMs,
      accepted,
      ingestPerSec: Math.round((accepted / Math.max(1, ingestMs)) * 1000),
      complete: delivered >= events,
      loopDelayP99Ms: Math.round((loop.percentile(99) / 1e6) * 10) / 10,
      verified: totals.verified,
      duplicates: totals.duplicates,
    };
  } finally {
    loop.disable();
    await topo.close();
  }
}

/**
 * Scenario 2, durable delivery throughput: `events` events round-robin to `endpoints` webhooks on a
 * keep-alive receiver in a child process. Baselines in the same run: the bare undici ceiling and a
 * BullMQ build. Herald runs twice: emitting in process, and through `POST /v1beta/events` from a
 * child process (what users get).
 */
export async function throughputScenario(ctx: ScenarioContext): Promise<ScenarioResult> {
  const s = ctx.sizes.throughput;
  const started = performance.now();
  const concurrency = s.endpoints * PER_DESTINATION;
  const rx = await Receivers.start(s.endpoints, { record: false });
  const rows: TableRow[] = [];
  const targets: TargetCheck[] = [];
  let ceiling: BaselineRun;
  let relay: RelayRun;
  let store: StoreCost;
  let bull: BaselineRun | undefined;
  let bullNote = '';
  let inprocess: HeraldRun;
  let http: HeraldRun;
  let batched: HeraldRun;
  try {
    const baselineTargets: Target[] = [];
    for (let i = 0; i < s.endpoints; i++) {
      const secret = newSecret();
      await rx.configure(i, { secret });
      baselineTargets.push({ url: rx.urls[i]!, key: secretKey(secret) });
    }
    // Warm-up (JIT, sockets, the receiver process), not measured.
    await ceilingLoop(baselineTargets, Math.min(2000, Math.ceil(s.events / 5)), concurrency, PER_DESTINATION);
    ctx.log(`throughput: ceiling, ${s.events} signed POSTs, ${concurrency} in flight`);
    ceiling = await ceilingLoop(baselineTargets, s.events, concurrency, PER_DESTINATION);
    ctx.log(`throughput: HTTP relay ceiling, ${s.events} events in over HTTP, out as signed POSTs`);
    await rx.reset();
    relay = await relayCeiling(baselineTargets, s.events, PER_DESTINATION, s.producerConcurrency, s.capMs);
    if (await reachable('127.0.0.1', 6379)) {
      ctx.log(`throughput: BullMQ build, ${s.events} jobs`);
      await rx.reset();
      bull = await bullmqBuild(baselineTargets, s.events, concurrency, s.producerConcurrency, PER_DESTINATION);
    } else {
      bullNote = 'skipped: no Redis at 127.0.0.1:6379';
      ctx.log(`throughput: BullMQ build ${bullNote}`);
    }
    ctx.log(`throughput: Herald, ${s.events} events emitted in process (cap ${s.capMs / 1000} s)`);
    inprocess = await heraldRun(rx, s.endpoints, s.events, s.producerConcurrency, s.capMs, 'inprocess');
    ctx.log(`throughput: Herald, ${s.events} events through POST /v1beta/events (cap ${s.capMs / 1000} s)`);
    http = await heraldRun(rx, s.endpoints, s.events, s.producerConcurrency, s.capMs, 'http');
    ctx.log(`throughput: Herald, ${s.events} events through POST /v1beta/events:batchCreate, ${BATCH_SIZE} a request`);
    batched = await heraldRun(rx, s.endpoints, s.events, s.producerConcurrency, s.capMs, 'http-batch');
    ctx.log(`throughput: Herald's store alone, ${s.events} deliveries emitted, leased and recorded`);
    store = await storeCost(s.events, s.endpoints, s.producerConcurrency);
  } finally {
    await rx.close();
  }

  const describe = (r: HeraldRun) =>
    `${num(r.perSec)}/s${r.complete ? '' : ` (capped: ${num(r.delivered)} of ${num(s.events)} in ${(r.elapsedMs / 1000).toFixed(0)} s)`}`;
  rows.push({
    scenario: '2 throughput',
    metric: `ceiling: bare undici + HMAC, no persistence (${num(ceiling.delivered)} POSTs, ${concurrency} in flight)`,
    herald: '',
    baseline: `${num(ceiling.perSec)}/s`,
    comparison: '',
  });
  rows.push({
    scenario: '2 throughput',
    metric: `HTTP relay ceiling: POST /v1beta/events answered, then a signed POST; no persistence (ingest ${num(relay.ingestPerSec)}/s)`,
    herald: '',
    baseline: `${num(relay.perSec)}/s`,
    comparison: `${pct(ratio(relay.perSec, ceiling.perSec, 4))} of ceiling`,
  });
  rows.push({
    scenario: '2 throughput',
    metric: `BullMQ (Redis) + undici worker, concurrency ${concurrency}`,
    herald: '',
    baseline: bull ? `${num(bull.perSec)}/s` : bullNote,
    comparison: '',
  });
  for (const [label, r] of [
    ['Herald, HTTP ingest (POST /v1beta/events from a child process)', http],
    ['Herald, in-process emit (herald.events.emit)', inprocess],
    [`Herald, batch ingest (POST /v1beta/events:batchCreate, ${BATCH_SIZE} a request)`, batched],
  ] as const) {
    rows.push({
      scenario: '2 throughput',
      metric: `${label}: delivered/s (ingest ${num(r.ingestPerSec)}/s)`,
      herald: describe(r),
      baseline: '',
      comparison: `${pct(ratio(r.perSec, ceiling.perSec, 4))} of ceiling; ${r === http ? `${pct(ratio(r.perSec, relay.perSec, 4))} of relay ceiling; ` : ''}${bull ? `${times(ratio(r.perSec, bull.perSec))} BullMQ` : 'BullMQ n/a'}`,
    });
  }
  const usPer = (r: BaselineRun) => (r.delivered > 0 ? (r.cpuMs * 1000) / r.delivered : 0);
  const perCpuSec = (r: BaselineRun) => (r.cpuMs > 0 ? (r.delivered / r.cpuMs) * 1000 : 0);
  rows.push({
    scenario: '2 throughput',
    metric:
      'CPU per delivery in the sending process (µs): ceiling / relay / BullMQ (+ Redis) / Herald HTTP / Herald in-process',
    herald: `${Math.round(usPer(http))} / ${Math.round(usPer(inprocess))}`,
    baseline: `${Math.round(usPer(ceiling))} / ${Math.round(usPer(relay))} / ${bull ? `${Math.round(usPer(bull))} (+ ${Math.round(((bull.redisCpuMs ?? 0) * 1000) / bull.delivered)})` : 'n/a'}`,
    comparison: `per CPU-second, Herald HTTP = ${pct(ratio(perCpuSec(http), perCpuSec(ceiling), 4))} of ceiling`,
  });
  // One core's worth of CPU spent only on persistence and sending bounds the in-process rate.
  const bound = Math.round(1e6 / (store.cpuUsPerDelivery + usPer(ceiling)));
  rows.push({
    scenario: '2 throughput',
    metric: "Herald's store alone: emit + lease + record per delivery, nothing sent (CPU µs; rate)",
    herald: `${store.cpuUsPerDelivery} µs; ${num(store.perSec)}/s`,
    baseline: '',
    comparison: `store + ceiling's send on one core: at most ${num(bound)}/s = ${pct(ratio(bound, ceiling.perSec, 4))} of ceiling${bull ? `, ${times(ratio(bound, bull.perSec))} BullMQ` : ''}`,
  });
  targets.push({
    scenario: 'throughput',
    target: `batch ingest (${BATCH_SIZE} a request) ≥ 3× single-event HTTP ingest and ≥ 2× the BullMQ build`,
    result: `${times(ratio(batched.perSec, http.perSec))} single-event; ${bull ? `${times(ratio(batched.perSec, bull.perSec))} BullMQ` : bullNote} (${num(batched.perSec)}/s delivered)`,
    met: batched.perSec >= 3 * http.perSec && (bull ? batched.perSec >= 2 * bull.perSec : true),
  });
  const main = http;
  targets.push({
    scenario: 'throughput',
    target: 'HTTP-ingest delivery throughput ≥ 70 % of the bare undici ceiling',
    result: `${pct(ratio(main.perSec, ceiling.perSec, 4))} (${num(main.perSec)}/s vs ${num(ceiling.perSec)}/s)`,
    met: main.perSec >= 0.7 * ceiling.perSec,
  });
  targets.push({
    scenario: 'throughput',
    target: 'HTTP-ingest delivery throughput ≥ 2× the BullMQ build',
    result: bull
      ? `${times(ratio(main.perSec, bull.perSec))} (${num(main.perSec)}/s vs ${num(bull.perSec)}/s)`
      : bullNote,
    met: bull ? main.perSec >= 2 * bull.perSec : null,
  });
  return {
    status: 'ok',
    elapsedMs: performance.now() - started,
    data: {
      sizes: s,
      concurrency,
      ceiling,
      relay,
      store,
      oneCoreBound: bound,
      bullmq: bull ?? { skipped: bullNote },
      inprocess,
      batched,
      http,
    },
    rows,
    targets,
  };
}
