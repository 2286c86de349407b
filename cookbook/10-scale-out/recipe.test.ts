import { createScratchDatabase, pgTestAvailability, type ScratchDatabase } from '@herald/server/testing/pg';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './recipe.js';
import { redact, type ScaleOut } from './start.js';

// The PostgreSQL server the other PostgreSQL tests use: HERALD_TEST_PG_URL, else the local one.
const available = await pgTestAvailability();
const unavailable = available.ok ? undefined : available.reason;
if (unavailable) console.warn(`cookbook 10 (scale-out) skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('10 — scale-out on PostgreSQL', () => {
  // A database of its own, dropped afterwards; processes left by a failed run are killed.
  let scratch: ScratchDatabase | undefined;
  let topo: ScaleOut | undefined;
  afterAll(async () => {
    if (topo) {
      topo.kill();
      await Promise.all(topo.processes.map((p) => p.exited));
    }
    await scratch?.drop();
  }, 30_000);

  it('one api and two workers deliver every event exactly once, verified; all exit 0 after a graceful stop', async () => {
    scratch = await createScratchDatabase(available.ok ? available.url : undefined, 'herald_cookbook');
    const report = await run(() => {}, { databaseUrl: scratch.url, onStarted: (t) => (topo = t) });

    expect(report.missing).toEqual([]);
    expect(report.requests).toBe(200); // no duplicates, no forgeries
    expect(report.verified).toBe(200);
    expect(report.distinct).toBe(200);
    // The api process has no engine: the workers did every delivery, both of them.
    expect(report.delivered.api).toBe(0);
    expect(report.delivered['worker-1']! + report.delivered['worker-2']!).toBe(200);
    expect(report.delivered['worker-1']).toBeGreaterThan(0);
    expect(report.delivered['worker-2']).toBeGreaterThan(0);
    expect(report.exits).toEqual({ api: 0, 'worker-1': 0, 'worker-2': 0 });

    expect(report.lines[0]).toBe(`1. started 1 api and 2 workers on ${redact(scratch.url)}`);
    expect(report.lines[1]).toMatch(/^2\. webhook \w+ → http:\/\/127\.0\.0\.1:\d+\/webhooks$/);
    expect(report.lines.slice(2)).toEqual([
      '3. emitted 200 report.ready events through the api process',
      expect.stringMatching(
        /^4\. received 200\/200 events in \d+ ms: 200 verified, 200 distinct webhook-id, 0 duplicates$/,
      ),
      expect.stringMatching(
        /^5\. delivered by api 0, worker-1 \d+, worker-2 \d+ \(herald_delivery_attempts_total, succeeded\)$/,
      ),
      '6. stopped: api exited 0, worker-1 exited 0, worker-2 exited 0',
    ]);
  }, 180_000);
});
