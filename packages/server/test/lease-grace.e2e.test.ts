import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { testBackends, type TestBackend } from '../src/testing/test-backends.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * HERALD_LEASE_GRACE_MS: a claimed delivery is leased for the attempt time-out plus this margin,
 * which is how long a killed worker's deliveries wait before the reaper hands them out again.
 * Read from the database while an attempt hangs, under a clock that does not move.
 */
const backends = await testBackends('lease grace');

let herald: TestHerald | undefined;
const receivers: Receiver[] = [];

afterEach(async () => {
  // Receivers first: the hanging request then fails at once instead of holding the drain.
  for (const r of receivers.splice(0)) await r.close();
  await herald?.close();
  herald = undefined;
});

async function leaseUntil(b: TestBackend, h: TestHerald): Promise<number[]> {
  const sql = "SELECT lease_until FROM deliveries WHERE status = 'in_flight'";
  if (b.name === 'sqlite') {
    const db = new Database(join(h.dataDir, 'herald.db'), { readonly: true });
    try {
      return db
        .prepare<[], { lease_until: number }>(sql)
        .all()
        .map((r) => r.lease_until);
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: b.config.databaseUrl });
  await c.connect();
  try {
    return (await c.query<{ lease_until: string }>(sql)).rows.map((r) => Number(r.lease_until));
  } finally {
    await c.end();
  }
}

describe.each(backends)('delivery lease: $name', (b) => {
  beforeEach(() => b.reset());

  it.each([
    ['HERALD_LEASE_GRACE_MS', { leaseGraceMs: 2_000 }, 60_000 + 2_000],
    ['the default 15 s', {}, 60_000 + 15_000],
  ])('lasts the attempt time-out plus %s', async (_what, grace, expected) => {
    const clock = new ManualClock();
    const rx = await startReceiver(() => 'hang');
    receivers.push(rx);
    herald = await startTestHerald({ clock, config: { ...b.config, attemptTimeoutMs: 60_000, ...grace } });
    const wh = await herald.api('POST', '/v1beta/webhooks', { uri: rx.url, subscribed_events: ['invoice.ready'] });
    expect(wh.status).toBe(200);
    expect((await herald.api('POST', '/v1beta/events', { type: 'invoice.ready', data: {} })).status).toBe(200);
    await rx.waitFor(1); // claimed (committed) and in flight
    expect(await leaseUntil(b, herald)).toEqual([clock.now() + expected]);
  });
});
