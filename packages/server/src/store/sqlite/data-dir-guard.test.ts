import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirError, SqliteDataDir } from './data-dir-guard.js';

let dir: string;
const guards: SqliteDataDir[] = [];
afterEach(() => {
  for (const g of guards.splice(0)) g.release();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteDataDir', () => {
  it('is held by one guard at a time, and free again once released', () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-guard-'));
    const first = SqliteDataDir.acquire(dir);
    expect(() => SqliteDataDir.acquire(dir)).toThrow(DataDirError);
    first.release();
    guards.push(SqliteDataDir.acquire(dir));
  });

  it('watch() reports a deleted database once, loudly, with what to do', async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-guard-'));
    const g = SqliteDataDir.acquire(dir);
    guards.push(g);
    writeFileSync(g.file, '');
    g.opened();
    expect(g.problem()).toBeUndefined();
    const messages: string[] = [];
    g.watch(20, (m) => messages.push(m));
    rmSync(g.file);
    expect(g.problem()).toBe('database-lost');
    await expect.poll(() => messages).toHaveLength(1);
    expect(messages[0]).toMatch(
      /herald\.db was deleted or replaced while Herald runs: .* restore the file from a backup/,
    );
    writeFileSync(g.file, '');
    expect(g.problem()).toBe('database-lost'); // another file is not the database Herald has open
  });
});
