import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';
import { WalSync, type WalSyncFs } from './wal-sync.js';

/** A file system whose fsyncs finish only when the test says so. */
function gatedFs() {
  const calls: string[] = [];
  const gates: (() => void)[] = [];
  const fs: WalSyncFs = {
    open: async (path) => {
      calls.push(`open ${path}`);
      return 7;
    },
    fsync: (fd) =>
      new Promise<void>((resolve) => {
        calls.push(`fsync ${fd}`);
        gates.push(resolve);
      }),
    close: async (fd) => {
      calls.push(`close ${fd}`);
    },
  };
  const finishNext = async () => {
    await new Promise((r) => setImmediate(r));
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { fs, calls, finishNext, waiting: () => gates.length };
}

describe('WalSync', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('resolves only after its fsync, and a call during a running fsync waits for the next one', async () => {
    const g = gatedFs();
    const sync = new WalSync('/db-wal', g.fs);
    const done: string[] = [];
    const first = sync.sync().then(() => done.push('first'));
    await new Promise((r) => setImmediate(r));
    const second = sync.sync().then(() => done.push('second'));
    const third = sync.sync().then(() => done.push('third'));
    expect(done).toEqual([]);
    await g.finishNext();
    await first;
    expect(done).toEqual(['first']); // second and third were written after that fsync began
    await g.finishNext();
    await Promise.all([second, third]);
    expect(done).toEqual(['first', 'second', 'third']);
    expect(sync.syncs).toBe(2); // second and third shared one fsync
    expect(g.calls).toEqual(['open /db-wal', 'fsync 7', 'fsync 7']);
  });

  it('reports a failed fsync to its callers and keeps working afterwards', async () => {
    let fail = true;
    const fs: WalSyncFs = {
      open: async () => 3,
      fsync: async () => {
        if (fail) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      },
      close: async () => undefined,
    };
    const sync = new WalSync('/db-wal', fs);
    await expect(sync.sync()).rejects.toThrow(/EIO/);
    fail = false;
    await expect(sync.sync()).resolves.toBeUndefined();
  });

  it('retries opening the WAL file after a failed open', async () => {
    let opens = 0;
    const fs: WalSyncFs = {
      open: async () => {
        if (++opens === 1) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        return 4;
      },
      fsync: async () => undefined,
      close: async () => undefined,
    };
    const sync = new WalSync('/db-wal', fs);
    await expect(sync.sync()).rejects.toThrow(/ENOENT/);
    await expect(sync.sync()).resolves.toBeUndefined();
    expect(opens).toBe(2);
  });

  it('close waits for the fsyncs under way, closes the descriptor, and refuses later calls', async () => {
    const g = gatedFs();
    const sync = new WalSync('/db-wal', g.fs);
    const pending = sync.sync();
    const closing = sync.close();
    await g.finishNext();
    await pending;
    await closing;
    expect(g.calls.at(-1)).toBe('close 7');
    await expect(sync.sync()).rejects.toThrow(/closed/);
  });

  it('fsyncs the WAL file of a real database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-walsync-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'herald.db'), { synchronous: 'NORMAL' });
    db.exec('CREATE TABLE t (v TEXT)');
    db.prepare('INSERT INTO t (v) VALUES (?)').run('x');
    const sync = new WalSync(`${db.name}-wal`);
    await sync.sync();
    await sync.sync();
    await sync.close();
    db.close();
    expect(sync.syncs).toBe(2);
  });
});
