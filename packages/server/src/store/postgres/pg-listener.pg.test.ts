import { describe, expect, it } from 'vitest';
import { pgTestAvailability } from '../../testing/pg-scratch.js';
import { useScratchPool } from '../../testing/scratch-pool.js';
import { PgListener } from './pg-listener.js';

const available = await pgTestAvailability();
if (!available.ok) console.warn(`PgListener tests skipped: ${available.reason}`);

describe.skipIf(!available.ok)('PgListener channels', () => {
  const scratch = useScratchPool(1);

  /** Notifications arrive in commit order: once `marker` is seen, anything sent before it has been. */
  function listener(channels: string[]) {
    const got: string[] = [];
    const listened: string[] = [];
    const waiters: { ch: string; resolve: () => void }[] = [];
    const l = new PgListener({
      connectionString: scratch.db.url,
      channels,
      onNotification: (ch, payload) => {
        got.push(`${ch}:${payload}`);
        for (const w of waiters.filter((x) => x.ch === `${ch}:${payload}`)) w.resolve();
      },
      onListen: (ch) => listened.push(ch),
      onReconnect: () => {},
    });
    const seen = (entry: string) =>
      got.includes(entry) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ ch: entry, resolve }));
    return { l, got, listened, seen };
  }
  const notify = (ch: string, payload: string) => scratch.pool.query('SELECT pg_notify($1, $2)', [ch, payload]);

  it('listens only to the channels asked for, and says when a later one takes effect', async () => {
    const { l, got, listened, seen } = listener(['marker']);
    await l.start();
    try {
      await notify('events', 'before');
      await notify('marker', '1');
      await seen('marker:1');
      expect(got).toEqual(['marker:1']); // not listening to `events` yet

      await l.setChannels(['marker', 'events']);
      expect(listened).toEqual(['events']); // a channel added later: notices before it were missed
      await notify('events', 'after');
      await seen('events:after');

      await l.setChannels(['marker']);
      await notify('events', 'dropped');
      await notify('marker', '2');
      await seen('marker:2');
      expect(got).toEqual(['marker:1', 'events:after', 'marker:2']);
    } finally {
      await l.close();
    }
  });
});
