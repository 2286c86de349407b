/**
 * What Herald's SQLite store costs per delivery, phase by phase, with nothing sent: `--events`
 * events emitted in process (one delivery each, 100 in flight, as the throughput scenario's store
 * row does), then leased with `claimDue` in batches of 64 and recorded as succeeded. Prints the
 * CPU (and, for the emit, wall) µs per delivery of each phase, per round; `--statements` adds the
 * time of each SQL statement per delivery (BEGIN and COMMIT included), which is how the statement
 * journal spilling to a temp file at every emit commit was found (docs/benchmarks.md, session 10).
 *
 *   node --conditions=@herald/source --import tsx bench/profile/store-phases.ts [--events 20000] [--rounds 3] [--statements]
 */
import { parseArgs } from 'node:util';
import { drainQueue } from '../lib/drain-queue.js';
import { HeraldHost } from '../lib/herald-host.js';
import { StatementTimes } from './statement-times.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    statements: { type: 'boolean', default: false },
  },
});
const events = Number(values.events);
const statements = values.statements ? new StatementTimes() : undefined;
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

const host = await HeraldHost.start();
try {
  const { herald } = host;
  await herald.engine.stop();
  const types = await host.idleWebhooks(10, 'p');
  statements?.report(1); // forget the setup
  for (let round = 1; round <= Number(values.rounds); round++) {
    const started = cpu();
    const wall = performance.now();
    await host.emitSpread(types, events, 100);
    const emitUs = (cpu() - started) / events;
    const emitWallUs = ((performance.now() - wall) * 1000) / events;
    const emitStatements = statements?.report(events);
    const spent = { lease: 0, record: 0 };
    const done = await drainQueue(herald.store, 'store-phases', async (phase, run) => {
      const started = cpu();
      try {
        return await run();
      } finally {
        spent[phase] += cpu() - started;
      }
    });
    const per = (us: number) => (us / Math.max(1, done)).toFixed(1);
    console.log(
      `round ${round}: emit ${emitUs.toFixed(1)} µs CPU (${emitWallUs.toFixed(1)} wall), lease ${per(spent.lease)}, record ${per(spent.record)} µs CPU per delivery (${done})`,
    );
    if (statements) {
      console.log(`  emit, by statement (per delivery):\n${emitStatements}`);
      console.log(`  lease and record, by statement (per delivery):\n${statements.report(Math.max(1, done))}`);
    }
  }
} finally {
  await host.close();
}
