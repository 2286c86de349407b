import { Fleet } from '../lib/fleet.js';
import { FAULT_MODES, Sink } from '../lib/sink.js';
import { underLoad } from '../lib/under-load.js';
import type { ChaosContext, ChaosScenarioResult } from '../types.js';
import { drainBudgetMs, pick } from './shared.js';

/**
 * 4. Receiver chaos: one endpoint per fault (5xx, 429 with Retry-After, connection reset, hang,
 * slow body, 8 MiB body, TLS bytes on a plain port, redirect) plus a healthy one, each its own
 * webhook. Every endpoint answers the first attempt of every second event with its fault, later
 * attempts with 200: each event must reach every endpoint. A redirect must not be followed.
 */
export async function receiverScenario(ctx: ChaosContext): Promise<ChaosScenarioResult> {
  const started = performance.now();
  const events = pick(ctx.mode, { smoke: 10, quick: 40, full: 150 });
  const sink = new Sink();
  const fleet = new Fleet();
  const slot = fleet.add('all');
  try {
    const modes = ['ok' as const, ...FAULT_MODES];
    const endpoints: number[] = [];
    for (const m of modes) endpoints.push(await sink.add(m));
    await fleet.start(slot);
    for (const e of endpoints) await fleet.createWebhook(sink.url(e), 'chaos.rx');
    const run = await underLoad({
      targets: () => fleet.apiUrls(),
      apiKey: fleet.apiKey,
      type: 'chaos.rx',
      sink,
      endpoints,
      labels: modes.map((m) => `4 receiver: ${m}`),
      concurrency: 4,
      max: events,
      drainBudgetMs: drainBudgetMs(ctx.mode),
      fault: async (p) => {
        await p.waitAccepted(events);
        return '';
      },
    });
    for (const [i, e] of endpoints.entries()) {
      const t = sink.tally(e);
      const row = run.rows[i]!;
      row.note = `${t.requests} requests, ${t.faults} faulted; ${row.note}`;
    }
    const followed = sink.trapHits;
    if (followed > 0) run.rows.find((r) => r.label.endsWith('redirect'))!.note += `; FOLLOWED ${followed} redirects`;
    return {
      status: followed > 0 ? 'error' : 'ok',
      ...(followed > 0 ? { note: `Herald followed ${followed} redirects` } : {}),
      elapsedMs: performance.now() - started,
      rows: run.rows,
      data: { events, redirectsFollowed: followed, producer: run.producer },
    };
  } finally {
    await fleet.close();
    await sink.close();
  }
}
