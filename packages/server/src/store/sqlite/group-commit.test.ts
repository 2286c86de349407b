import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';
import { openDatabase } from './open-database.js';

function setup(durable?: () => Promise<void>) {
  const db = openDatabase(':memory:');
  db.exec('CREATE TABLE t (v TEXT NOT NULL)');
  const log: string[] = [];
  const commits: number[] = [];
  const group = new GroupCommit(
    db,
    (fn) => {
      db.transaction(fn).immediate();
      commits.push(1);
      log.push('committed');
      return () => log.push('announced');
    },
    { maxUnits: 3, ...(durable ? { durable } : {}) },
  );
  const insert = (v: string | null) => group.run(() => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes);
  const rows = () =>
    db
      .prepare<[], { v: string }>('SELECT v FROM t ORDER BY rowid')
      .all()
      .map((r) => r.v);
  return { db, group, insert, rows, log, commits };
}

describe('GroupCommit', () => {
  it('units submitted in one turn share a commit of at most maxUnits; a failing unit rolls back alone', async () => {
    const s = setup();
    const results = await Promise.allSettled([s.insert('a'), s.insert(null), s.insert('b'), s.insert('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(s.rows()).toEqual(['a', 'b', 'c']);
    expect(s.commits.length).toBe(2); // 3 units, then the 4th in the next turn
  });

  it('with durable, nobody hears of the commit (callers, announcement) before it resolves', async () => {
    let release!: () => void;
    const s = setup(
      () =>
        new Promise<void>((r) => {
          s.log.push('fsync started');
          release = r;
        }),
    );
    let answered = false;
    const unit = s.insert('a').then(() => (answered = true));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(s.rows()).toEqual(['a']); // committed
    expect(answered).toBe(false);
    expect(s.log).toEqual(['committed', 'fsync started']);
    release();
    await unit;
    expect(s.log).toEqual(['committed', 'fsync started', 'announced']);
  });

  it('with durable, a failed fsync fails every caller of that commit', async () => {
    const s = setup(() => Promise.reject(new Error('EIO: i/o error, fsync')));
    const results = await Promise.allSettled([s.insert('a'), s.insert('b')]);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual([
      'Error: EIO: i/o error, fsync',
      'Error: EIO: i/o error, fsync',
    ]);
    expect(s.log).toEqual(['committed']); // never announced
  });
});
