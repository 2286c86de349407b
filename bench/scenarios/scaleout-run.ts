import { Cluster, type ClusterSpec, type ProcessStats } from '../lib/cluster.js';
import { postEventsFromChild } from '../lib/loadgen.js';
import { PgWaitSampler, type WaitShare } from '../lib/pg-waits.js';
import { PgServerCpu } from '../lib/pg-server-cpu.js';
import { PgWriteStats, type WriteCost } from '../lib/pg-write-stats.js';
import type { EndpointReport } from '../lib/receiver-protocol.js';
import type { Receivers } from '../lib/receivers.js';
import type { Sizes } from '../lib/sizes.js';
import { percentiles, perSecond, type Percentiles } from '../lib/stats.js';
import { nowMs, sleep } from '../lib/time.js';

/** What one topology did with the scenario's load. */
export interface TopologyRun {
  label: string;
  /** From spawning the processes to every one answering `/readyz`. */
  startMs: number;
  /** Events the API answered 200, and that count over the load generator's run. */
  accepted: number;
  ingestPerSec: number;
  /** Distinct deliveries the receiver got (by `webhook-id`), first POST → last arrival. */
  delivered: number;
  elapsedMs: number;
  perSec: number;
  /** All `events` were accepted and delivered before the cap (else the rate is over what was done). */
  complete: boolean;
  /** Every accepted event was delivered before the cap (false: the workers had fallen behind the ingest). */
  caughtUp: boolean;
  /** Per event: request sent → signed POST received (ms), under this load (so mostly queueing). */
  latency: Percentiles;
  verified: number;
  invalid: number;
  duplicates: number;
  /** PostgreSQL: what the database's active sessions waited on during the run (most frequent first). */
  waits: WaitShare[];
  /** PostgreSQL: the most frequent lock waits, with the statement that waited. */
  lockWaits: WaitShare[];
  /** PostgreSQL: share of active-session samples waiting on a lock (`Lock:*`), and how many samples. */
  lockShare: number;
  activeSamples: number;
  /** PostgreSQL: commits, row writes and (cluster-wide) WAL bytes per delivery over the run. */
  writes: WriteCost | undefined;
  /** `dist` (the built packages, as production runs them) or `source` (tsx). */
  from: 'dist' | 'source';
  /** Per process, `api`/`all` first: peak RSS over its life, CPU time during the run. */
  processes: ProcessStats[];
  /** PostgreSQL on this host: its processes' CPU time during the run (ms); undefined otherwise. */
  pgServerCpuMs: number | undefined;
}

/** Polls the receiver until it has `n` distinct deliveries or `until` (monotonic ms) passes. */
async function waitDelivered(rx: Receivers, cluster: Cluster, n: number, until: number): Promise<EndpointReport> {
  let totals = await rx.totals();
  while (totals.received - totals.duplicates < n && nowMs() < until) {
    const dead = cluster.deadProcess();
    if (dead) throw new Error(`${cluster.spec.label}: the ${dead.role} process exited:\n${dead.output}`);
    await sleep(50);
    totals = await rx.totals();
  }
  return totals;
}

/**
 * Starts `spec`'s processes, registers one webhook per receiver endpoint (types `bench.so<i>`),
 * warms up with `s.warmupEvents` events (delivered, then forgotten), posts `s.events` events from
 * the load-generator child and waits until the receiver has them all or `s.capMs` has passed
 * since the first POST. Everything is stopped again before returning.
 */
export async function runTopology(
  spec: ClusterSpec,
  rx: Receivers,
  s: Sizes['scaleout'],
  pgUrl: string,
): Promise<TopologyRun> {
  const t0 = nowMs();
  const cluster = await Cluster.start(spec, { readyMs: s.readyMs, pgUrl });
  try {
    const startMs = nowMs() - t0;
    await rx.reset();
    const types: string[] = [];
    for (let i = 0; i < s.endpoints; i++) {
      const type = `bench.so${i}`;
      const secret = await cluster.createWebhook(rx.urls[i]!, [type], `scaleout-${i}`);
      await rx.configure(i, { secret });
      types.push(type);
    }
    // Warm-up, not measured: JIT, connection pools and keep-alive sockets of every process.
    const warm = await postEventsFromChild({
      url: cluster.api.url,
      apiKey: cluster.apiKey,
      types,
      count: s.warmupEvents,
      durationMs: s.capMs,
      connections: s.producerConcurrency,
    });
    await waitDelivered(rx, cluster, warm.accepted, nowMs() + s.capMs);
    await cluster.settle();
    await rx.reset();
    const before = cluster.stats();
    const sampler = cluster.database ? await PgWaitSampler.start(pgUrl, cluster.database) : undefined;
    const writeStats = cluster.database ? await PgWriteStats.start(pgUrl, cluster.database) : undefined;
    const pgCpu = cluster.database ? PgServerCpu.start(pgUrl) : undefined;
    const gen = await postEventsFromChild({
      url: cluster.api.url,
      apiKey: cluster.apiKey,
      types,
      count: s.events,
      durationMs: s.capMs,
      connections: s.producerConcurrency,
      stamps: true,
    });
    if (gen.accepted === 0) {
      throw new Error(`${spec.label}: HTTP ingest failed: ${gen.firstError}\n${cluster.api.output.slice(-1500)}`);
    }
    // Both clocks are CLOCK_MONOTONIC (see time.ts), so the child's stamps compare with ours.
    const capAt = gen.startedAt + s.capMs;
    const totals = await waitDelivered(rx, cluster, gen.accepted, capAt);
    const sampled = await sampler?.stop();
    const processes = cluster.stats().map((p, i) => ({ ...p, cpuMs: p.cpuMs - (before[i]?.cpuMs ?? 0) }));
    const pgServerCpuMs = pgCpu?.stop();
    const delivered = totals.received - totals.duplicates;
    const writes = await writeStats?.stop(delivered);
    const caughtUp = delivered >= gen.accepted;
    const elapsedMs = Math.max(1, (caughtUp ? totals.lastAt : nowMs()) - gen.startedAt);
    const { arrivals } = await rx.report(true);
    const firstArrival = new Map<number, number>();
    for (let k = 0; k < (arrivals?.seq.length ?? 0); k++) {
      const seq = arrivals!.seq[k]!;
      const at = arrivals!.at[k]!;
      const prev = firstArrival.get(seq);
      if (seq >= 0 && (prev === undefined || at < prev)) firstArrival.set(seq, at);
    }
    const sentAt = gen.sentAt ?? [];
    const latency = percentiles([...firstArrival].filter(([seq]) => sentAt[seq]).map(([seq, at]) => at - sentAt[seq]!));
    return {
      label: spec.label,
      startMs: Math.round(startMs),
      accepted: gen.accepted,
      ingestPerSec: perSecond(gen.accepted, gen.elapsedMs),
      delivered,
      elapsedMs: Math.round(elapsedMs),
      perSec: perSecond(delivered, elapsedMs),
      complete: caughtUp && gen.accepted >= s.events,
      caughtUp,
      latency,
      verified: totals.verified,
      invalid: totals.invalid,
      duplicates: totals.duplicates,
      waits: sampled?.top ?? [],
      lockWaits: sampled?.locks ?? [],
      lockShare: sampled?.lockShare ?? 0,
      activeSamples: sampled?.activeSamples ?? 0,
      writes,
      from: cluster.command.from,
      processes,
      pgServerCpuMs,
    };
  } finally {
    await cluster.close();
  }
}
