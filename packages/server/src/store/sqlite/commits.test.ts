import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteCommits } from './commits.js';
import { openDatabase, type SqliteDatabase } from './open-database.js';

/** SQLite's temp files (a spilled statement journal among them) are unlinked when opened: `etilqs_… (deleted)`. */
function openTempFiles(): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).includes('etilqs_');
    } catch {
      return false;
    }
  }).length;
}

describe('SqliteCommits', () => {
  const open: { db: SqliteDatabase; commits: SqliteCommits; dir: string }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.commits.close();
      o.db.close();
      rmSync(o.dir, { recursive: true, force: true });
    }
  });
  const setup = () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-commits-'));
    const db = openDatabase(join(dir, 'herald.db'));
    const commits = new SqliteCommits(db, 'FULL');
    open.push({ db, commits, dir });
    // Enough existing pages that rewriting every row journals far more than SQLite's 64 KiB in memory.
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL); CREATE INDEX t_v ON t (v)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 4000; i++) insert.run(`row ${i} ${'x'.repeat(100)}`);
    })();
    return { db, commits };
  };
  const tempStore = (db: SqliteDatabase) => db.pragma('temp_store', { simple: true });

  it.runIf(existsSync('/proc/self/fd'))(
    'an emit commit keeps its savepoints’ journal in memory; other commits may spill it to a temp file',
    async () => {
      const { db, commits } = setup();
      const rewriteAll = () => {
        db.prepare("UPDATE t SET v = v || '!'").run();
        return openTempFiles();
      };
      // A unit of the events group commit runs in a savepoint, as every emit does.
      expect(await commits.events.run(rewriteAll)).toBe(0);
      // The control: the same savepoint in an ordinary commit spills (so the check above can fail).
      expect(commits.tx(() => db.transaction(rewriteAll)())).toBeGreaterThan(0);
    },
  );

  it('only emit commits change temp_store, and they put it back (also when a unit fails)', async () => {
    const { db, commits } = setup();
    expect(tempStore(db)).toBe(0);
    expect(await commits.events.run(() => tempStore(db))).toBe(2); // MEMORY
    expect(tempStore(db)).toBe(0);
    await expect(
      commits.events.run(() => {
        throw new Error('unit failed');
      }),
    ).rejects.toThrow('unit failed');
    expect(tempStore(db)).toBe(0);
    expect(await commits.attempts.run(() => tempStore(db))).toBe(0);
    expect(commits.tx(() => tempStore(db))).toBe(0);
  });
});
