/**
 * Profiles Herald's single-event HTTP ingest path (issue #14): the throughput scenario's topology
 * (10 webhooks on a receiver child process), a warm-up, then `--events` POST /v1beta/events from
 * the load-generator child while the inspector's CPU profiler samples this (Herald's) process.
 * Writes the `.cpuprofile` (open it in Chrome DevTools) and prints the top self-time functions.
 *
 *   node --conditions=@herald/source --import tsx bench/profile/http-ingest.ts [--events 20000] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { postEventsFromChild } from '../lib/loadgen.js';
import { Receivers } from '../lib/receivers.js';
import { nowMs, sleep } from '../lib/time.js';
import { startTopology } from '../scenarios/shared.js';
import { topSelfTime, type CpuProfile } from './self-time.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    connections: { type: 'string', default: '32' },
    top: { type: 'string', default: '30' },
    out: { type: 'string', default: `http-ingest-${Date.now()}.cpuprofile` },
  },
});
const events = Number(values.events);
const rx = await Receivers.start(10, { record: false });
const topo = await startTopology(10, 'bench.t', { record: false, receivers: rx });
const session = new Session();
try {
  const { host, types } = topo;
  const drive = async (count: number) => {
    const target = host.counts.succeeded + count;
    const r = await postEventsFromChild({
      url: host.url,
      apiKey: host.herald.apiKey,
      types,
      count,
      durationMs: 60_000,
      connections: Number(values.connections),
    });
    if (r.errors > 0) throw new Error(`HTTP ingest failed: ${r.firstError}`);
    const capAt = nowMs() + 60_000;
    while (host.counts.succeeded < target && nowMs() < capAt) await sleep(20);
    console.error(`drove ${count}: accepted ${r.accepted}, delivered ${host.counts.succeeded} of ${target}`);
    return r;
  };
  await drive(Math.min(5000, events)); // warm-up: JIT, sockets, caches
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const cpu = process.cpuUsage();
  const r = await drive(events);
  const used = process.cpuUsage(cpu);
  const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
  writeFileSync(values.out, JSON.stringify(profile));
  const cpuUs = used.user + used.system;
  console.log(
    `${events} events, ingest ${Math.round((r.accepted / r.elapsedMs) * 1000)}/s; ` +
      `Herald process CPU ${Math.round(cpuUs / events)} µs per event; profile in ${values.out}`,
  );
  console.log(topSelfTime(profile, Number(values.top)));
  console.log(topSelfTime(profile, Number(values.top), 'file'));
} finally {
  session.disconnect();
  await topo.close();
  await rx.close();
}
process.exit(0);
