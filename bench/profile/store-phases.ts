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
import { HeraldHost } from '../lib/herald-host.js';
import { inFlight } from '../lib/in-flight.js';
import { succeeded } from '../lib/store-cost.js';
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
  const types: string[] = [];
  for (let i = 0; i < 10; i++) {
    // Never contacted: the engine does not run.
    await host.createWebhook(`http://127.0.0.1:9/store-phases/${i}`, [`bench.p${i}`], `store-phases-${i}`);
    types.push(`bench.p${i}`);
  }
  statements?.report(1); // forget the setup
  for (let round = 1; round <= Number(values.rounds); round++) {
    let started = cpu();
    const wall = performance.now();
    await inFlight(events, 100, async (seq) => {
      await herald.events.emit(herald.projectId, { type: types[seq % types.length]!, data: { seq } });
    });
    const emitUs = (cpu() - started) / events;
    const emitWallUs = ((performance.now() - wall) * 1000) / events;
    const emitStatements = statements?.report(events);
    let leaseUs = 0;
    let recordUs = 0;
    let done = 0;
    for (;;) {
      const now = Date.now();
      started = cpu();
      const batch = await herald.store.claimDue({
        now,
        limit: 64,
        maxPerDestination: 1_000_000,
        leaseMs: 60_000,
        owner: 'store-phases',
      });
      leaseUs += cpu() - started;
      if (batch.length === 0) break;
      started = cpu();
      await Promise.all(batch.map((delivery) => herald.store.completeAttempt(succeeded(delivery, now))));
      recordUs += cpu() - started;
      done += batch.length;
    }
    const per = (us: number) => (us / Math.max(1, done)).toFixed(1);
    console.log(
      `round ${round}: emit ${emitUs.toFixed(1)} µs CPU (${emitWallUs.toFixed(1)} wall), lease ${per(leaseUs)}, record ${per(recordUs)} µs CPU per delivery (${done})`,
    );
    if (statements) {
      console.log(`  emit, by statement (per delivery):\n${emitStatements}`);
      console.log(`  lease and record, by statement (per delivery):\n${statements.report(Math.max(1, done))}`);
    }
  }
} finally {
  await host.close();
}
