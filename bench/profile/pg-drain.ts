/**
 * How fast PostgreSQL's store drains a backlog, with nothing sent: `--events` events emitted in
 * process while the engine is stopped (one pending delivery each, over `--endpoints` webhooks),
 * with the table statistics taken BEFORE the backlog (`ANALYZE` of the emptied tables, as
 * autovacuum leaves them for up to a minute on a deployment that was idle until the burst), then
 * leased with `claimDue` in batches of 64 and recorded as succeeded. Prints deliveries per second
 * and the wall ms per claim and per batch of records, in the first and the last tenth of the
 * drain: a claim whose plan walks the whole backlog gets slower the deeper the backlog is.
 *
 *   node --conditions=@herald/source --import tsx bench/profile/pg-drain.ts [--events 20000] [--endpoints 10]
 */
import pg from 'pg';
import { parseArgs } from 'node:util';
import { drainQueue } from '../lib/drain-queue.js';
import { HeraldHost } from '../lib/herald-host.js';
import { createScratchDb, pgUnavailable } from '../lib/scratch-db.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    endpoints: { type: 'string', default: '10' },
  },
});
const events = Number(values.events);
const unavailable = await pgUnavailable();
if (unavailable) {
  console.log(`pg-drain: skipped: ${unavailable}`);
  process.exit(0);
}
const db = await createScratchDb();
const host = await HeraldHost.start({ databaseUrl: db.url });
try {
  const { herald } = host;
  await herald.engine.stop();
  const types = await host.idleWebhooks(Number(values.endpoints), 'd');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('ANALYZE');
  await client.end();
  const e0 = performance.now();
  await host.emitSpread(types, events, 100);
  const emitted = Math.round(events / ((performance.now() - e0) / 1000));
  const times = { lease: [] as number[], record: [] as number[] };
  const t0 = performance.now();
  const done = await drainQueue(herald.store, 'pg-drain', async (phase, run) => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      times[phase].push(performance.now() - started);
    }
  });
  const seconds = (performance.now() - t0) / 1000;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const { lease: claims, record: records } = times;
  const tenth = Math.max(1, Math.floor(records.length / 10));
  const ms = (xs: number[]) => mean(xs).toFixed(2);
  console.log(
    `emitted ${emitted}/s; drained ${done} deliveries in ${seconds.toFixed(2)} s (${Math.round(done / seconds)}/s); ` +
      `claim ${ms(claims.slice(0, tenth))} → ${ms(claims.slice(-tenth - 1, -1))} ms (the last, empty one left out), ` +
      `records ${ms(records.slice(0, tenth))} → ${ms(records.slice(-tenth))} ms per batch of 64 (first → last tenth)`,
  );
} finally {
  await host.close();
  await db.drop();
}
