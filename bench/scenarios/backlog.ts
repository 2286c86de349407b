import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Herald } from '@herald/server';
import { HeraldHost } from '../lib/herald-host.js';
import { Receivers } from '../lib/receivers.js';
import { mb, mib, RssSampler } from '../lib/rss.js';
import { percentiles, type Percentiles } from '../lib/stats.js';
import { nowMs, sleep } from '../lib/time.js';
import type { ScenarioContext, ScenarioResult, TableRow, TargetCheck } from '../types.js';
import { ms, num } from './shared.js';

/** Longest wait for the first delivery once the receivers are back (the breaker's pause is ≤ 30 s). */
const RESUME_CAP_MS = 40_000;

type ClaimInput = Parameters<Herald['store']['claimDue']>[0];

export interface ClaimSample {
  /** Share of the target backlog reached when sampled. */
  atShare: number;
  pending: number;
  /** The engine's own `claimDue` calls while the receivers refused connections, timed around the store call. */
  claim: Percentiles;
  meanBatch: number;
  dbMiB: number;
  rssMiB: number;
}

/**
 * Times every `claimDue` the engine makes while `fn` runs. The store is the one the engine holds
 * (`herald.store`); the timing wrapper replaces its `claimDue` and is swapped back afterwards.
 */
async function timeClaims(herald: Herald, fn: () => Promise<void>): Promise<{ durations: number[]; sizes: number[] }> {
  const store = herald.store;
  // claimDue is an own property of the composed store: put it back afterwards (not delete it).
  const original = store.claimDue.bind(store);
  const durations: number[] = [];
  const sizes: number[] = [];
  store.claimDue = async (input: ClaimInput) => {
    const t = nowMs();
    const r = await original(input);
    durations.push(nowMs() - t);
    sizes.push(r.deliveries.length);
    return r;
  };
  try {
    await fn();
  } finally {
    store.claimDue = original;
  }
  return { durations, sizes };
}

/**
 * Scenario 3, backlog: `fanout` webhooks (spread over `receivers` endpoints of the receiver process)
 * subscribe to one event type, so every emit writes `fanout` deliveries.
 * 1. storm: the receivers refuse connections while the engine runs; ingest for `stormMs`.
 * 2. fill: the engine is paused (`herald.engine.stop()`) and in-process emits fill the backlog to
 *    `pendingTarget` deliveries; at 10 %, 50 % and 100 % the engine runs for `claimProbeMs` against the
 *    refusing receivers and every claim it makes is timed.
 * 3. drain: the receivers come back, the engine starts, and deliveries per second are counted.
 */
export async function backlogScenario(ctx: ScenarioContext): Promise<ScenarioResult> {
  const s = ctx.sizes.backlog;
  const started = performance.now();
  const rss = new RssSampler(100);
  const rx = await Receivers.start(s.receivers, { record: false });
  const host = await HeraldHost.start({});
  const { herald } = host;
  const rows: TableRow[] = [];
  const targets: TargetCheck[] = [];
  try {
    for (let i = 0; i < s.fanout; i++) await host.createWebhook(rx.urls[i % s.receivers]!, ['bench.backlog'], `b${i}`);
    await rx.setMode([...Array(s.receivers).keys()], 'down');
    const rssAtStart = rss.sample();

    let pending = 0;
    let seq = 0;
    const emitUntil = async (stop: () => boolean, concurrency: number) => {
      const producer = async () => {
        while (!stop()) {
          const r = await herald.events.emit(herald.projectId, { type: 'bench.backlog', data: { seq: seq++ } });
          pending += r.event.deliveryCount;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, producer));
    };

    // 1. storm
    ctx.log(
      `backlog: ingest for ${s.stormMs / 1000} s while ${s.receivers} receivers refuse connections (engine running)`,
    );
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const stormStart = nowMs();
    const attemptsBefore = host.counts.total;
    await emitUntil(() => nowMs() - stormStart >= s.stormMs, 16);
    const stormMs = nowMs() - stormStart;
    loop.disable();
    const storm = {
      events: seq,
      deliveries: pending,
      eventsPerSec: Math.round((seq / stormMs) * 1000),
      deliveriesPerSec: Math.round((pending / stormMs) * 1000),
      failedAttemptsPerSec: Math.round(((host.counts.total - attemptsBefore) / stormMs) * 1000),
      loopDelayP99Ms: Math.round((loop.percentile(99) / 1e6) * 10) / 10,
    };
    await herald.engine.stop();

    // 2. fill, with claim probes at 10 %, 50 %, 100 %
    const fillEventsBefore = seq;
    const fillPendingBefore = pending;
    let fillMs = 0;
    const samples: ClaimSample[] = [];
    for (const share of [0.1, 0.5, 1]) {
      const goal = Math.round(s.pendingTarget * share);
      ctx.log(`backlog: filling to ${num(goal)} pending deliveries (engine paused)`);
      const t = nowMs();
      await emitUntil(() => pending >= goal || fillMs + (nowMs() - t) >= s.fillCapMs, 16);
      fillMs += nowMs() - t;
      const probe = await timeClaims(herald, async () => {
        herald.engine.start();
        await sleep(s.claimProbeMs);
        await herald.engine.stop();
      });
      samples.push({
        atShare: Math.round((pending / s.pendingTarget) * 1000) / 1000,
        pending,
        claim: percentiles(probe.durations),
        meanBatch: probe.sizes.length ? Math.round(probe.sizes.reduce((a, b) => a + b, 0) / probe.sizes.length) : 0,
        dbMiB: mib(host.dbBytes()),
        rssMiB: mib(rss.sample()),
      });
      if (pending < goal) break; // the fill cap ran out
    }
    const fill = {
      events: seq - fillEventsBefore,
      deliveries: pending - fillPendingBefore,
      ms: Math.round(fillMs),
      eventsPerSec: Math.round(((seq - fillEventsBefore) / fillMs) * 1000),
      deliveriesPerSec: Math.round(((pending - fillPendingBefore) / fillMs) * 1000),
      reached: pending,
    };

    // 3. drain
    ctx.log(`backlog: receivers back, draining for up to ${s.drainCapMs / 1000} s`);
    await rx.setMode([...Array(s.receivers).keys()], 'ok');
    const before = host.counts.succeeded;
    const backAt = nowMs();
    let drainStart = backAt;
    const drainClaims = await timeClaims(herald, async () => {
      herald.engine.start();
      // The circuit breaker paused the refusing endpoints (at most 30 s): the drain starts with
      // the first delivery of its probe. How long that took is reported on its own.
      while (host.counts.succeeded === before && nowMs() - backAt < RESUME_CAP_MS) await sleep(20);
      drainStart = nowMs();
      while (host.counts.succeeded - before < pending && nowMs() - drainStart < s.drainCapMs) await sleep(50);
    });
    const resumeMs = Math.round(drainStart - backAt);
    const drainedMs = nowMs() - drainStart;
    const drained = host.counts.succeeded - before;
    const drain = {
      resumeMs,
      delivered: drained,
      ms: Math.round(drainedMs),
      perSec: Math.round((drained / drainedMs) * 1000),
      complete: drained >= pending,
      claim: percentiles(drainClaims.durations),
      projectedFullDrainSec: drained > 0 ? Math.round((pending / drained) * (drainedMs / 1000)) : null,
    };
    const peakRss = rss.stop();
    const dbMiB = mib(host.dbBytes());

    rows.push({
      scenario: '3 backlog',
      metric: `ingest while ${s.receivers} receivers refuse connections (engine running, ${s.fanout} webhooks)`,
      herald: `${num(storm.eventsPerSec)} events/s = ${num(storm.deliveriesPerSec)} deliveries/s`,
      baseline: '',
      comparison: `${num(storm.failedAttemptsPerSec)} failed attempts/s; loop delay p99 ${ms(storm.loopDelayP99Ms)}`,
    });
    rows.push({
      scenario: '3 backlog',
      metric: `fill to ${num(s.pendingTarget)} pending (engine paused, in-process emits ×${s.fanout} fan-out)`,
      herald: `${num(fill.deliveriesPerSec)} deliveries/s (${num(fill.eventsPerSec)} events/s)`,
      baseline: '',
      comparison: `reached ${num(fill.reached)} in ${(fill.ms / 1000).toFixed(0)} s`,
    });
    for (const c of samples) {
      rows.push({
        scenario: '3 backlog',
        metric: `claim latency at ${Math.round(c.atShare * 100)} % (${num(c.pending)} pending), p50 / p99 (n=${c.claim.count}, batch ${c.meanBatch})`,
        herald: `${ms(c.claim.p50)} / ${ms(c.claim.p99)}`,
        baseline: '',
        comparison: `db ${c.dbMiB} MiB, RSS ${c.rssMiB} MiB`,
      });
    }
    rows.push({
      scenario: '3 backlog',
      metric: `drain after the receivers return${drain.complete ? '' : ` (first ${(drain.ms / 1000).toFixed(0)} s)`}`,
      herald: `${num(drain.perSec)} deliveries/s`,
      baseline: '',
      comparison: `resumed ${(drain.resumeMs / 1000).toFixed(1)} s after the receivers returned (circuit-breaker probe); ${
        drain.complete
          ? `all ${num(pending)} in ${(drain.ms / 1000).toFixed(0)} s`
          : `whole backlog ≈ ${drain.projectedFullDrainSec === null ? '∞' : drain.projectedFullDrainSec < 120 ? `${drain.projectedFullDrainSec} s` : `${num(drain.projectedFullDrainSec / 60)} min`}`
      }`,
    });
    rows.push({
      scenario: '3 backlog',
      metric: 'peak RSS of the Herald process / database size at the end',
      herald: `${mb(peakRss)} MB / ${mb(host.dbBytes())} MB`,
      baseline: `RSS ${mb(rssAtStart)} MB before the backlog`,
      comparison: `at the peak: JS heap ${mb(rss.atPeak.heapUsed)} MB used of ${mb(rss.atPeak.heapTotal)} MB, external ${mb(rss.atPeak.external)} MB`,
    });

    const first = samples[0];
    const last = samples.at(-1);
    const flat = first && last && first.claim.p50 > 0 ? last.claim.p50 / first.claim.p50 : 0;
    targets.push({
      scenario: 'backlog',
      target: `${num(s.pendingTarget)} pending deliveries held`,
      result: `${num(pending)} reached`,
      met: pending >= s.pendingTarget,
    });
    targets.push({
      scenario: 'backlog',
      target: 'peak RSS ≤ 300 MB with the backlog',
      result: `${mb(peakRss)} MB (${mib(peakRss)} MiB)`,
      met: peakRss <= 300 * 1e6,
    });
    targets.push({
      scenario: 'backlog',
      target: 'claim latency flat as the backlog grows (p50 at 100 % within 2× of 10 %)',
      result: samples.map((c) => `${Math.round(c.atShare * 100)} %: ${ms(c.claim.p50)}`).join(', '),
      met: samples.length >= 2 ? flat <= 2 : null,
    });

    return {
      status: 'ok',
      elapsedMs: performance.now() - started,
      data: {
        sizes: s,
        storm,
        fill,
        claims: samples,
        drain,
        rssAtStartMiB: mib(rssAtStart),
        peakRssMiB: mib(peakRss),
        memoryAtPeak: rss.atPeak,
        dbMiB,
      },
      rows,
      targets,
    };
  } finally {
    rss.stop();
    await host.close();
    await rx.close();
  }
}
