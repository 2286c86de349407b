import { createScratchDatabase } from '@herald/server/testing/pg';
import { BENCH_PG_URL, pgUnavailable } from '../../lib/scratch-db.js';
import { Fleet } from '../lib/fleet.js';
import { onAbort } from '../lib/on-abort.js';
import { Sink } from '../lib/sink.js';
import { underLoad } from '../lib/under-load.js';
import type { ChaosContext, ChaosScenarioResult } from '../types.js';
import { drainBudgetMs, skipped } from './shared.js';

/**
 * 6. A rolling restart under load: PostgreSQL, 2 api + 2 worker processes, each stopped with SIGTERM
 * (it drains) and started again, one at a time. The producer sends to whichever API process is up.
 */
export async function rollingScenario(ctx: ChaosContext): Promise<ChaosScenarioResult> {
  const down = await pgUnavailable();
  if (down) return skipped(`PostgreSQL is not reachable (${down})`);
  const started = performance.now();
  const db = await createScratchDatabase(BENCH_PG_URL, 'herald_chaos');
  const unregister = onAbort(() => db.drop());
  const sink = new Sink();
  const fleet = new Fleet();
  const env = { HERALD_DATABASE_URL: db.url };
  for (const role of ['api', 'api', 'worker', 'worker']) fleet.add(role, env);
  try {
    const ep = await sink.add('ok');
    await fleet.startAll();
    await fleet.createWebhook(sink.url(ep), 'chaos.rolling');
    const run = await underLoad({
      targets: () => fleet.apiUrls(),
      apiKey: fleet.apiKey,
      type: 'chaos.rolling',
      sink,
      endpoints: [ep],
      labels: ['6 rolling SIGTERM restart (PostgreSQL, 2 api + 2 workers)'],
      concurrency: 8,
      max: 50_000,
      drainBudgetMs: drainBudgetMs(ctx.mode),
      fault: async (p) => {
        for (const [i, s] of fleet.slots.entries()) {
          await p.waitAccepted(p.stats.accepted + 30);
          await fleet.kill(i, 'SIGTERM');
          ctx.log(`  restarting ${s.role} ${i + 1}/${fleet.slots.length}`);
          await fleet.start(i);
        }
        await p.waitAccepted(p.stats.accepted + 30);
        return 'each of 4 processes stopped with SIGTERM and started again, one at a time';
      },
    });
    return { status: 'ok', elapsedMs: performance.now() - started, rows: run.rows, data: { producer: run.producer } };
  } finally {
    await fleet.close();
    await sink.close();
    unregister();
    await db.drop().catch(() => undefined);
  }
}
