import { afterEach, describe, expect, it } from 'vitest';
import type { EventNotice } from '../../model/event-notice.js';
import { pgTestAvailability } from '../../testing/pg-scratch.js';
import { useScratchPool } from '../../testing/scratch-pool.js';
import { CHANNELS } from './channels.js';
import { PgNotifications } from './notifications.js';

const available = await pgTestAvailability();
if (!available.ok) console.warn(`PgNotifications tests skipped: ${available.reason}`);

describe.skipIf(!available.ok)('PgNotifications: event notices', () => {
  const scratch = useScratchPool(1);
  let n: PgNotifications | undefined;
  afterEach(async () => {
    await n?.close();
    n = undefined;
  });

  /** Notifications with a fixed "latest event" per project, and every event already readable. */
  async function started(latest: EventNotice[]): Promise<PgNotifications> {
    n = new PgNotifications({
      connectionString: scratch.db.url,
      pollMs: 60_000,
      latestSequences: async () => latest,
      watermark: async () => Number.MAX_SAFE_INTEGER,
    });
    await n.start();
    return n;
  }
  const collect = (notifications: PgNotifications) => {
    const got: EventNotice[] = [];
    const waiters: (() => void)[] = [];
    const stop = notifications.subscribeEvents((x) => {
      got.push(x);
      for (const w of waiters.splice(0)) w();
    });
    const until = async (pred: () => boolean) => {
      while (!pred()) await new Promise<void>((resolve) => waiters.push(resolve));
    };
    return { got, stop, until };
  };
  const notice = (projectId: string, sequence: number) =>
    scratch.pool.query('SELECT pg_notify($1, $2)', [
      CHANNELS.events,
      JSON.stringify({ projectId, sequence, type: 'test' }),
    ]);

  it('LISTENs to events only once a reader subscribes, and catches it up on what it may have missed', async () => {
    // A notice sent while nobody in the process reads events is not received (no LISTEN): the
    // first reader is told the latest event of every project once its LISTEN has taken effect.
    const notifications = await started([{ projectId: 'p1', sequence: 7 }]);
    await notice('p1', 7);
    const reader = collect(notifications);
    await reader.until(() => reader.got.length > 0);
    expect(reader.got[0]).toEqual({ projectId: 'p1', sequence: 7 });

    await notice('p1', 8);
    await reader.until(() => reader.got.some((x) => x.sequence === 8));
    reader.stop();
  });
});
