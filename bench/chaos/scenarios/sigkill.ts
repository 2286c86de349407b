import { Fleet } from '../lib/fleet.js';
import { Sink } from '../lib/sink.js';
import { underLoad } from '../lib/under-load.js';
import type { ChaosContext, ChaosScenarioResult } from '../types.js';
import { drainBudgetMs, jitter, pick } from './shared.js';

/**
 * 1. SIGKILL × 20 of a SQLite `herald serve` during concurrent HTTP emits, started again each time
 * on the same data dir. Kills land at random points: mid-emit, mid-commit, mid-delivery.
 */
export async function sigkillScenario(ctx: ChaosContext): Promise<ChaosScenarioResult> {
  const started = performance.now();
  const kills = pick(ctx.mode, { smoke: 2, quick: 5, full: 20 });
  const sink = new Sink();
  const fleet = new Fleet();
  const slot = fleet.add('all');
  try {
    const ep = await sink.add('ok');
    await fleet.start(slot);
    await fleet.createWebhook(sink.url(ep), 'chaos.kill');
    const run = await underLoad({
      targets: () => fleet.apiUrls(),
      apiKey: fleet.apiKey,
      type: 'chaos.kill',
      sink,
      endpoints: [ep],
      labels: [`1 SIGKILL × ${kills} (SQLite)`],
      concurrency: 8,
      max: 50_000,
      drainBudgetMs: drainBudgetMs(ctx.mode),
      fault: async (p) => {
        for (let k = 1; k <= kills; k++) {
          await p.waitAccepted(p.stats.accepted + 20);
          await jitter(300);
          await fleet.kill(slot, 'SIGKILL');
          ctx.log(`  sigkill ${k}/${kills} (${p.stats.accepted} accepted so far)`);
          await fleet.start(slot);
        }
        await p.waitAccepted(p.stats.accepted + 20);
        return `${kills} SIGKILLs, restarted on the same data dir`;
      },
    });
    return {
      status: 'ok',
      elapsedMs: performance.now() - started,
      rows: run.rows,
      data: { kills, producer: run.producer },
    };
  } finally {
    await fleet.close();
    await sink.close();
  }
}
