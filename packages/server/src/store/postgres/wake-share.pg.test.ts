import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pgTestAvailability } from '../../testing/pg-scratch.js';
import { useScratchPool } from '../../testing/scratch-pool.js';
import { CHANNELS } from './channels.js';
import { PgNotifications } from './notifications.js';
import { poolReader } from './pg-database.js';
import { announceEngines, readEngines } from './wake-share.js';

const available = await pgTestAvailability();
if (!available.ok) console.warn(`wake-share tests skipped: ${available.reason}`);

describe.skipIf(!available.ok)('PostgreSQL wake-ups: each notice to one engine', () => {
  const scratch = useScratchPool(2);
  const open: PgNotifications[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((n) => n.close()));
  });

  /** One process's notifications, with its engine's wake-ups counted. */
  async function herald() {
    const reader = poolReader(scratch.pool);
    const n = new PgNotifications({
      connectionString: scratch.db.url,
      pollMs: 3_600_000, // no safety-net wake-ups during the test
      enginesRefreshMs: 50,
      latestSequences: async () => [],
      watermark: async (above) => above + 1,
      engines: () => readEngines(reader),
      announceEngines: () => announceEngines(reader),
    });
    open.push(n);
    await n.start();
    const markers = new Set<string>();
    n.subscribeOperations((c) => markers.add(c.name));
    let stop: (() => void) | undefined;
    const p = {
      n,
      wakes: 0,
      becomeEngine: () => (stop = n.subscribe(() => p.wakes++)),
      stopBeingEngine: () => stop?.(),
      seen: (name: string) => markers.has(name),
    };
    return p;
  }
  const wakeNotices = async (count: number) => {
    for (let i = 0; i < count; i++)
      await scratch.pool.query('SELECT pg_notify($1, $2)', [CHANNELS.wake, `due:${randomBytes(6).toString('hex')}`]);
  };
  /** Notifications reach a listener in commit order: after the marker, every earlier notice has arrived. */
  const marker = async (...ps: { seen: (name: string) => boolean }[]) => {
    const name = `m-${randomBytes(4).toString('hex')}`;
    await scratch.pool.query('SELECT pg_notify($1, $2)', [
      CHANNELS.operations,
      JSON.stringify({ projectId: 'p', name, kind: 'k', state: 'running' }),
    ]);
    await vi.waitFor(() => expect(ps.every((p) => p.seen(name))).toBe(true));
  };

  it('two engines share the notices, and one left alone takes them all again', async () => {
    const a = await herald();
    const b = await herald();
    const api = await herald(); // listens to events and operations only: not an engine
    a.becomeEngine();
    b.becomeEngine();
    await vi.waitFor(() => {
      expect(a.n.engines).toHaveLength(2);
      expect(b.n.engines).toHaveLength(2);
    });
    expect(await readEngines(poolReader(scratch.pool))).toHaveLength(2);
    await marker(a, b, api);
    a.wakes = 0;
    b.wakes = 0;

    await wakeNotices(120);
    await marker(a, b);
    expect(a.wakes + b.wakes).toBe(120); // each notice answered once
    expect(a.wakes).toBeGreaterThan(20);
    expect(b.wakes).toBeGreaterThan(20);

    // b stops its engine: a learns of it at once (the announcement), and claims once in case a
    // notice went to b meanwhile.
    a.wakes = 0;
    b.stopBeingEngine();
    await vi.waitFor(() => expect(a.n.engines).toHaveLength(1));
    await vi.waitFor(() => expect(a.wakes).toBeGreaterThanOrEqual(1));
    await marker(a, b);
    a.wakes = 0;
    b.wakes = 0;
    await wakeNotices(30);
    await marker(a, b);
    expect(a.wakes).toBe(30);
    expect(b.wakes).toBe(0);
  });

  it('an engine that dies without a word loses its share within the refresh interval', async () => {
    const a = await herald();
    const b = await herald();
    a.becomeEngine();
    b.becomeEngine();
    await vi.waitFor(() => expect(a.n.engines).toHaveLength(2));
    await marker(a, b);
    a.wakes = 0;
    // As a crashed process: its session ends, and nobody announces anything.
    await b.n.close();
    await vi.waitFor(() => expect(a.n.engines).toHaveLength(1));
    expect(a.wakes).toBeGreaterThanOrEqual(1); // claims once: notices meant for b may have gone unanswered
    a.wakes = 0;
    await wakeNotices(20);
    await marker(a);
    expect(a.wakes).toBe(20);
  });
});
