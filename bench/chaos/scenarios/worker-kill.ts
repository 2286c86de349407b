import { createScratchDatabase } from '@herald/server/testing/pg';
import { BENCH_PG_URL, pgUnavailable } from '../../lib/scratch-db.js';
import { Fleet } from '../lib/fleet.js';
import { onAbort } from '../lib/on-abort.js';
import { Sink } from '../lib/sink.js';
import { underLoad } from '../lib/under-load.js';
import type { ChaosContext, ChaosScenarioResult } from '../types.js';
import { drainBudgetMs, jitter, pick, skipped } from './shared.js';

/**
 * 3. PostgreSQL, `HERALD_ROLE=api` + 2 workers: SIGKILL one of the workers (alternately) under load,
 * start it again, repeatedly. The surviving worker takes over the killed one's leased deliveries.
 */
export async function workerKillScenario(ctx: ChaosContext): Promise<ChaosScenarioResult> {
  const down = await pgUnavailable();
  if (down) return skipped(`PostgreSQL is not reachable (${down})`);
  const started = performance.now();
  const kills = pick(ctx.mode, { smoke: 2, quick: 4, full: 10 });
  const db = await createScratchDatabase(BENCH_PG_URL, 'herald_chaos');
  const unregister = onAbort(() => db.drop());
  const sink = new Sink();
  const fleet = new Fleet();
  const env = { HERALD_DATABASE_URL: db.url };
  fleet.add('api', env);
  const workers = [fleet.add('worker', env), fleet.add('worker', env)];
  try {
    const ep = await sink.add('ok');
    await fleet.startAll();
    await fleet.createWebhook(sink.url(ep), 'chaos.worker');
    const run = await underLoad({
      targets: () => fleet.apiUrls(),
      apiKey: fleet.apiKey,
      type: 'chaos.worker',
      sink,
      endpoints: [ep],
      labels: [`3 worker SIGKILL × ${kills} (PostgreSQL, api + 2 workers)`],
      concurrency: 8,
      max: 50_000,
      drainBudgetMs: drainBudgetMs(ctx.mode),
      fault: async (p) => {
        for (let k = 0; k < kills; k++) {
          await p.waitAccepted(p.stats.accepted + 30);
          await jitter(300);
          const w = workers[k % 2]!;
          await fleet.kill(w, 'SIGKILL');
          ctx.log(`  worker kill ${k + 1}/${kills}`);
          await fleet.start(w);
        }
        await p.waitAccepted(p.stats.accepted + 30);
        return `${kills} SIGKILLs of a worker, restarted each time`;
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
    unregister();
    await db.drop().catch(() => undefined);
  }
}
