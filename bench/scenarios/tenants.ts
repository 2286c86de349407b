import { Agent, request } from 'undici';
import { HeraldHost } from '../lib/herald-host.js';
import { Receivers } from '../lib/receivers.js';
import { mib, RssSampler } from '../lib/rss.js';
import { percentiles, perSecond, ratio, type Percentiles } from '../lib/stats.js';
import { nowMs, sleep, withTimeout } from '../lib/time.js';
import type { ScenarioContext, ScenarioResult, TableRow, TargetCheck } from '../types.js';
import { ms, num, times } from './shared.js';

const FAST = 0;
const HOLE = 1;

/** `POST`s as the admin key, `concurrency` at a time, over one keep-alive pool. */
class AdminClient {
  readonly #agent = new Agent({ connections: 32, keepAliveTimeout: 30_000 });
  constructor(
    readonly url: string,
    readonly key: string,
  ) {}

  async post<T>(path: string, body: unknown): Promise<T> {
    const res = await request(this.url + path, {
      dispatcher: this.#agent,
      method: 'POST',
      headers: { 'x-goog-api-key': this.key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`POST ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /** Runs `fn(i)` for i in [0, n) with `concurrency` in flight; returns the elapsed ms. */
  async each(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<number> {
    const t0 = nowMs();
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < n; i = next++) await fn(i);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
    return nowMs() - t0;
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

const tenantId = (i: number) => `t-${String(i).padStart(5, '0')}`;

/** Emit→arrival ms of the events whose `data.seq` is in `sentAt`, from the receiver's arrivals. */
async function latencies(rx: Receivers, sentAt: Map<number, number>): Promise<number[]> {
  const { arrivals } = await rx.report(true);
  const out: number[] = [];
  const seen = new Set<number>();
  for (let k = 0; k < (arrivals?.seq.length ?? 0); k++) {
    const seq = arrivals!.seq[k]!;
    const t = sentAt.get(seq);
    if (t === undefined || seen.has(seq)) continue;
    seen.add(seq);
    out.push(arrivals!.at[k]! - t);
  }
  return out;
}

/** Waits until `n` events of `sentAt` have arrived (polling the receiver process), or the cap. */
async function waitArrived(rx: Receivers, sentAt: Map<number, number>, n: number, capMs: number): Promise<number[]> {
  const until = nowMs() + capMs;
  for (;;) {
    const l = await latencies(rx, sentAt);
    if (l.length >= n || nowMs() > until) return l;
    await sleep(50);
  }
}

/**
 * Scenario "10,000 tenants": one Herald, N projects created over HTTP with the admin key, a webhook
 * and one event each (creation and ingest rates, emit→first-attempt latency, peak RSS); then a quiet
 * tenant's notification latency while a noisy tenant has a large backlog to black-hole endpoints,
 * side by side with the same quiet stream without the noisy tenant.
 */
export async function tenantsScenario(ctx: ScenarioContext): Promise<ScenarioResult> {
  const s = ctx.sizes.tenants;
  const started = performance.now();
  const rss = new RssSampler();
  const rx = await Receivers.start(2, { record: true });
  const host = await HeraldHost.start({ attemptTimeoutMs: s.attemptTimeoutMs });
  const admin = new AdminClient(host.url, host.herald.adminKey);
  try {
    await rx.setMode([HOLE], 'hang');
    ctx.log(`tenants: creating ${num(s.tenants)} projects over HTTP (admin key)`);
    const createMs = await admin.each(s.tenants, 16, (i) =>
      admin.post('/v1beta/projects', { id: tenantId(i), name: `Tenant ${i}` }),
    );
    const webhookMs = await admin.each(s.tenants, 16, (i) =>
      admin.post(`/v1beta/projects/${tenantId(i)}/webhooks`, {
        uri: rx.urls[FAST],
        subscribed_events: ['bench.tenant'],
      }),
    );
    ctx.log(`tenants: one event each`);
    const sentAt = new Map<number, number>();
    const ingestMs = await admin.each(s.tenants, 16, async (i) => {
      sentAt.set(i, nowMs());
      await admin.post(`/v1beta/projects/${tenantId(i)}/events`, { type: 'bench.tenant', data: { seq: i } });
    });
    const fanLat = await waitArrived(rx, sentAt, s.tenants, s.drainCapMs);
    const firstAttempt = percentiles(fanLat);

    // The quiet tenant: a steady stream of events, measured alone, then beside a noisy backlog.
    await admin.post('/v1beta/projects', { id: 'quiet', name: 'Quiet' });
    await admin.post('/v1beta/projects/quiet/webhooks', { uri: rx.urls[FAST], subscribed_events: ['bench.quiet'] });
    let seqBase = 1_000_000;
    const quietStream = async (): Promise<Percentiles> => {
      const sent = new Map<number, number>();
      const inflight: Promise<unknown>[] = [];
      const t0 = nowMs();
      for (let k = 0; k < s.quietEvents; k++) {
        const wait = t0 + (k * 1000) / s.quietRatePerSec - nowMs();
        if (wait > 0) await sleep(wait);
        const seq = seqBase++;
        sent.set(seq, nowMs());
        inflight.push(admin.post('/v1beta/projects/quiet/events', { type: 'bench.quiet', data: { seq } }));
      }
      await Promise.all(inflight);
      return percentiles(await waitArrived(rx, sent, s.quietEvents, s.drainCapMs));
    };
    ctx.log(`tenants: quiet tenant alone, ${s.quietEvents} events at ${s.quietRatePerSec}/s`);
    const alone = await quietStream();

    await admin.post('/v1beta/projects', { id: 'noisy', name: 'Noisy' });
    for (let w = 0; w < s.noisyWebhooks; w++)
      await admin.post('/v1beta/projects/noisy/webhooks', {
        uri: `${rx.urls[HOLE]}?w=${w}`,
        subscribed_events: ['bench.noisy'],
      });
    const backlog = s.noisyEvents * s.noisyWebhooks;
    ctx.log(`tenants: noisy tenant, ${num(backlog)} deliveries to ${s.noisyWebhooks} black holes`);
    for (let k = 0; k < s.noisyEvents; k += 1000) {
      const n = Math.min(1000, s.noisyEvents - k);
      const requests = Array.from({ length: n }, (_, j) => ({ type: 'bench.noisy', data: { n: k + j } }));
      await admin.post('/v1beta/projects/noisy/events:batchCreate', { requests });
    }
    ctx.log(`tenants: quiet tenant beside the noisy backlog`);
    const beside = await quietStream();
    const rssPeak = rss.stop();

    const rows: TableRow[] = [
      {
        scenario: '8 tenants',
        metric: `create ${num(s.tenants)} projects over HTTP (admin key, 16 in flight)`,
        herald: `${num(perSecond(s.tenants, createMs))} projects/s`,
        baseline: '',
        comparison: `${ms(createMs)} in all; webhooks ${num(perSecond(s.tenants, webhookMs))}/s`,
      },
      {
        scenario: '8 tenants',
        metric: `one event per project (${num(s.tenants)} projects), POST /events`,
        herald: `${num(perSecond(s.tenants, ingestMs))} events/s`,
        baseline: '',
        comparison: `${num(fanLat.length)} of ${num(s.tenants)} delivered`,
      },
      {
        scenario: '8 tenants',
        metric: 'emit → first attempt across the tenants, p50 / p99',
        herald: `${ms(firstAttempt.p50)} / ${ms(firstAttempt.p99)}`,
        baseline: '',
        comparison: '',
      },
      {
        scenario: '8 tenants',
        metric: `peak RSS (Herald and driver, ${num(s.tenants)} tenants)`,
        herald: `${mib(rssPeak)} MiB`,
        baseline: '',
        comparison: '',
      },
      {
        scenario: '8 tenants',
        metric: `quiet tenant p50 / p99 beside a noisy tenant's ${num(backlog)}-delivery backlog to ${s.noisyWebhooks} black holes`,
        herald: `${ms(beside.p50)} / ${ms(beside.p99)}`,
        baseline: `${ms(alone.p50)} / ${ms(alone.p99)} (quiet tenant alone)`,
        comparison: `p99 ${times(ratio(beside.p99, alone.p99))} of alone`,
      },
    ];
    const targets: TargetCheck[] = [
      {
        scenario: 'tenants',
        target: "a quiet tenant's p99 within 2× of its p99 without the noisy tenant",
        result: `${ms(beside.p99)} vs ${ms(alone.p99)} (${times(ratio(beside.p99, alone.p99))})`,
        met: beside.count > 0 && alone.count > 0 ? beside.p99 <= 2 * Math.max(alone.p99, 1) : null,
      },
    ];
    const missing = s.tenants - fanLat.length + (s.quietEvents - alone.count) + (s.quietEvents - beside.count);
    return {
      status: missing === 0 ? 'ok' : 'error',
      ...(missing > 0 ? { note: `${missing} events never reached the receiver` } : {}),
      elapsedMs: performance.now() - started,
      data: {
        sizes: s,
        createMs,
        webhookMs,
        ingestMs,
        firstAttempt,
        rssPeakMiB: mib(rssPeak),
        quietAlone: alone,
        quietBesideNoisy: beside,
        noisyBacklog: backlog,
      },
      rows,
      targets,
    };
  } finally {
    rss.stop();
    await admin.close();
    await rx.setMode([HOLE], 'ok').catch(() => undefined);
    await withTimeout('closing Herald', 60_000, host.close());
    await rx.close();
  }
}
