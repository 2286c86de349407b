import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { HeraldHost } from './herald-host.js';
import type { Receivers } from './receivers.js';
import { percentiles, type Percentiles } from './stats.js';
import { nowMs, sleep } from './time.js';

export interface StreamOptions {
  events: number;
  ratePerSec: number;
  /** Endpoint indexes (in `rx`) of the healthy webhooks, and the event type each one subscribes to. */
  healthy: { index: number; type: string }[];
  /** Types of black-hole webhooks: one extra event per tick goes to them, round-robin. */
  extraTypes?: string[];
  via: 'inprocess' | 'http';
  /** Polling baselines that run alongside: every client pages `GET /v1beta/events?after=`. */
  pollers?: { periodsMs: number[]; perPeriod: number };
  /** Longest wait for the last deliveries after the last emit. */
  settleMs?: number;
}

export interface PollBaseline {
  periodMs: number;
  clients: number;
  /** Commit → the poll response that carried the event, over every (client, event) pair. */
  detection: Percentiles;
}

export interface StreamResult {
  /** Commit (the emit call returned) → the receiver had the signed POST, per healthy event. */
  push: Percentiles;
  /** HTTP ingest only: request sent → receiver had the signed POST. */
  sendToArrival?: Percentiles;
  /** HTTP ingest only: response received → receiver had it (negative: the webhook came first). */
  responseToArrival?: Percentiles;
  delivered: number;
  missing: number;
  emitErrors: number;
  /** Event-loop delay of the Herald process while the stream ran (monitorEventLoopDelay, ms). */
  loopDelay: { p50: number; p99: number; max: number };
  /** How late the open-loop schedule fired emits (another view of a blocked event loop), ms. */
  scheduleLag: Percentiles;
  polling: PollBaseline[];
  elapsedMs: number;
}

interface PolledEvent {
  sequence: number;
  payload: { data?: { seq?: number } };
}

async function poller(
  host: HeraldHost,
  o: { periodMs: number; phaseMs: number; types: string[]; events: number; stopAt: () => number },
  commitAt: Float64Array,
  out: number[],
): Promise<void> {
  let cursor = 0;
  let seen = 0;
  let next = nowMs() + o.phaseMs;
  const typeParam = encodeURIComponent(o.types.join(','));
  while (seen < o.events && nowMs() < o.stopAt()) {
    const wait = next - nowMs();
    if (wait > 0) await sleep(wait);
    next += o.periodMs;
    for (;;) {
      const page = await host.api<{ events: PolledEvent[]; next_page_token?: string }>(
        'GET',
        `/v1beta/events?after=${cursor}&page_size=1000&types=${typeParam}`,
      );
      const at = nowMs();
      for (const ev of page.events) {
        cursor = Math.max(cursor, ev.sequence);
        const seq = ev.payload.data?.seq;
        if (typeof seq !== 'number' || seq < 0 || seq >= o.events) continue;
        const c = commitAt[seq]!;
        if (c > 0) out.push(at - c);
        seen++;
      }
      if (!page.next_page_token) break;
    }
  }
}

/**
 * Emits `events` healthy events (round-robin over `healthy`) on an open-loop schedule at `ratePerSec`
 * — plus, with `extraTypes`, as many to black holes — and measures, per healthy event, the time from
 * its commit to its arrival at the receiver. Optional polling clients measure the detection delay a
 * poller would see for the same events.
 */
export async function runStream(host: HeraldHost, rx: Receivers, o: StreamOptions): Promise<StreamResult> {
  const n = o.events;
  const commitAt = new Float64Array(n);
  const sentAt = new Float64Array(n);
  const lag: number[] = [];
  let emitErrors = 0;
  const inflight = new Set<Promise<void>>();
  const projectId = host.herald.projectId;
  const types = o.healthy.map((h) => h.type);

  const emit = (type: string, seq: number, record: boolean): void => {
    let p: Promise<void>;
    if (o.via === 'inprocess') {
      p = host.herald.events.emit(projectId, { type, data: { seq } }).then(() => {
        if (record) commitAt[seq] = nowMs();
      });
    } else {
      if (record) sentAt[seq] = nowMs();
      p = host.api('POST', '/v1beta/events', { type, data: { seq } }).then(() => {
        if (record) commitAt[seq] = nowMs();
      });
    }
    const tracked = p.catch(() => {
      emitErrors++;
    });
    inflight.add(tracked);
    void tracked.finally(() => inflight.delete(tracked));
  };

  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const started = nowMs();
  // Pollers run until every event was seen, or long after the last emit (Infinity until then).
  let lastEmitAt = Number.POSITIVE_INFINITY;
  const pollOuts: { periodMs: number; clients: number; out: number[] }[] = [];
  const pollers: Promise<void>[] = [];
  const stopPolling = () => lastEmitAt + Math.max(...(o.pollers?.periodsMs ?? [0])) * 2 + 10_000;
  for (const periodMs of o.pollers?.periodsMs ?? []) {
    const entry = { periodMs, clients: o.pollers!.perPeriod, out: [] as number[] };
    pollOuts.push(entry);
    for (let c = 0; c < entry.clients; c++) {
      pollers.push(
        poller(
          host,
          { periodMs, phaseMs: Math.random() * periodMs, types, events: n, stopAt: stopPolling },
          commitAt,
          entry.out,
        ),
      );
    }
  }

  const interval = 1000 / o.ratePerSec;
  const t0 = nowMs() + 20;
  for (let i = 0; i < n; i++) {
    const target = t0 + i * interval;
    const wait = target - nowMs();
    if (wait > 1) await sleep(wait - 0.5);
    lag.push(Math.max(0, nowMs() - target));
    emit(o.healthy[i % o.healthy.length]!.type, i, true);
    if (o.extraTypes?.length) emit(o.extraTypes[i % o.extraTypes.length]!, 1_000_000 + i, false);
  }
  lastEmitAt = nowMs();
  await Promise.all(inflight);

  // Wait for the healthy endpoints to have every healthy event.
  const settleBy = nowMs() + (o.settleMs ?? 30_000);
  const healthyIdx = new Set(o.healthy.map((h) => h.index));
  while (nowMs() < settleBy) {
    const { endpoints } = await rx.report(false);
    const received = endpoints.reduce((a, e, i) => a + (healthyIdx.has(i) ? e.received : 0), 0);
    if (received >= n) break;
    await sleep(50);
  }
  await Promise.all(pollers);
  const elapsedMs = nowMs() - started;
  loop.disable();

  const { arrivals } = await rx.report(true);
  const push: number[] = [];
  const sendTo: number[] = [];
  const respTo: number[] = [];
  const got = new Uint8Array(n);
  if (arrivals) {
    for (let k = 0; k < arrivals.seq.length; k++) {
      const seq = arrivals.seq[k]!;
      if (seq < 0 || seq >= n || got[seq] || !healthyIdx.has(arrivals.endpoint[k]!)) continue;
      got[seq] = 1;
      const at = arrivals.at[k]!;
      if (o.via === 'inprocess') push.push(at - commitAt[seq]!);
      else {
        sendTo.push(at - sentAt[seq]!);
        respTo.push(at - commitAt[seq]!);
      }
    }
  }
  const delivered = got.reduce((a, b) => a + b, 0);
  return {
    push: percentiles(o.via === 'inprocess' ? push : sendTo),
    ...(o.via === 'http' ? { sendToArrival: percentiles(sendTo), responseToArrival: percentiles(respTo) } : {}),
    delivered,
    missing: n - delivered,
    emitErrors,
    loopDelay: {
      p50: Math.round((loop.percentile(50) / 1e6) * 100) / 100,
      p99: Math.round((loop.percentile(99) / 1e6) * 100) / 100,
      max: Math.round((loop.max / 1e6) * 100) / 100,
    },
    scheduleLag: percentiles(lag),
    polling: pollOuts.map((p) => ({ periodMs: p.periodMs, clients: p.clients, detection: percentiles(p.out) })),
    elapsedMs,
  };
}
