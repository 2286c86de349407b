import { createScratchDatabase } from '@herald/server/testing/pg';
import { BENCH_PG_URL } from '../../lib/scratch-db.js';
import { sleep } from '../../lib/time.js';
import { Fleet } from '../lib/fleet.js';
import { onAbort } from '../lib/on-abort.js';
import { ensureRunning, findCluster, pgctl } from '../lib/pg-control.js';
import { Sink } from '../lib/sink.js';
import { underLoad } from '../lib/under-load.js';
import type { ChaosContext, ChaosScenarioResult } from '../types.js';
import { drainBudgetMs, isRoot, pick, skipped } from './shared.js';

async function readyz(url: string | undefined): Promise<string> {
  if (!url) return 'no process';
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(3000) });
    await res.arrayBuffer();
    return String(res.status);
  } catch {
    return 'no answer';
  }
}

/**
 * 2. PostgreSQL restarted mid-load (`pg_ctlcluster … restart`), then stopped for 30 s, under one
 * `herald serve` on a fresh database. Herald is not restarted: its pools and LISTEN reconnect.
 * PostgreSQL is started again whatever happens.
 */
export async function pgOutageScenario(ctx: ChaosContext): Promise<ChaosScenarioResult> {
  if (!isRoot()) return skipped('needs root (pg_ctlcluster restarts the local cluster)');
  const cluster = await findCluster();
  if (typeof cluster === 'string') return skipped(cluster);
  const started = performance.now();
  const stopMs = pick(ctx.mode, { smoke: 5000, quick: 10_000, full: 30_000 });
  const db = await createScratchDatabase(BENCH_PG_URL, 'herald_chaos');
  const sink = new Sink();
  const fleet = new Fleet();
  const slot = fleet.add('all', { HERALD_DATABASE_URL: db.url });
  const unregister = onAbort(async () => {
    await ensureRunning(cluster);
    await db.drop();
  });
  try {
    const ep = await sink.add('ok');
    await fleet.start(slot);
    await fleet.createWebhook(sink.url(ep), 'chaos.pg');
    const common = {
      targets: () => fleet.apiUrls(),
      apiKey: fleet.apiKey,
      type: 'chaos.pg',
      sink,
      endpoints: [ep],
      concurrency: 8,
      max: 50_000,
      drainBudgetMs: drainBudgetMs(ctx.mode),
    };
    const restart = await underLoad({
      ...common,
      labels: ['2 PostgreSQL restarted'],
      fault: async (p) => {
        await p.waitAccepted(p.stats.accepted + 50);
        ctx.log('  pg_ctlcluster restart');
        await pgctl(cluster, 'restart');
        await p.waitAccepted(p.stats.accepted + 50);
        return 'pg_ctlcluster restart mid-load, Herald not restarted';
      },
    });
    let during = '';
    const stop = await underLoad({
      ...common,
      labels: [`2 PostgreSQL stopped ${stopMs / 1000} s`],
      fault: async (p) => {
        await p.waitAccepted(p.stats.accepted + 50);
        ctx.log(`  pg_ctlcluster stop for ${stopMs / 1000} s`);
        await pgctl(cluster, 'stop');
        try {
          await sleep(stopMs / 2);
          during = await readyz(fleet.apiUrls()[0]);
          await sleep(stopMs / 2);
        } finally {
          await pgctl(cluster, 'start');
        }
        await p.waitAccepted(p.stats.accepted + 50);
        return `stopped for ${stopMs / 1000} s (/readyz answered ${during} meanwhile), Herald not restarted`;
      },
    });
    const alive = fleet.slots[slot]!.proc?.alive ?? false;
    return {
      status: alive && during === '503' ? 'ok' : 'error',
      ...(alive ? {} : { note: `herald serve exited during the outage:\n${fleet.output()}` }),
      ...(alive && during !== '503' ? { note: `/readyz answered ${during} while PostgreSQL was stopped` } : {}),
      elapsedMs: performance.now() - started,
      rows: [...restart.rows, ...stop.rows],
      data: { stopMs, readyzWhileStopped: during, restart: restart.producer, stop: stop.producer },
    };
  } finally {
    await ensureRunning(cluster);
    unregister();
    await fleet.close();
    await sink.close();
    await db.drop().catch(() => undefined);
  }
}
