/** SqliteIdempotencyStore on a real SQLite file in a temp directory (better-sqlite3). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createSqliteIdempotencyStore, type SqliteIdempotencyStore } from '@herald/webhooks/sqlite';

let dir: string;
const stores: SqliteIdempotencyStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-webhooks-'));
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(now: () => number, table?: string): Promise<SqliteIdempotencyStore> {
  const store = await createSqliteIdempotencyStore({
    filename: join(dir, 'ids.db'),
    now,
    ...(table === undefined ? {} : { table }),
  });
  stores.push(store);
  return store;
}

describe('SqliteIdempotencyStore', () => {
  it('claims once until the TTL passes; release makes the key claimable', async () => {
    let now = 1_000_000;
    const store = await open(() => now);
    expect(await store.claim('msg_1', 60)).toBe(true);
    expect(await store.claim('msg_1', 60)).toBe(false);
    now += 59_999;
    expect(await store.claim('msg_1', 60)).toBe(false);
    now += 1;
    expect(await store.claim('msg_1', 60)).toBe(true);
    await store.release('msg_1');
    expect(await store.claim('msg_1', 60)).toBe(true);
  });

  it('two stores (two connections) on the same file see each other’s claims', async () => {
    const now = () => 5_000_000;
    const a = await open(now);
    const b = await open(now);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claim('msg_shared', 60)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await b.claim('msg_other', 60)).toBe(true);
    expect(await a.claim('msg_other', 60)).toBe(false);
  });

  it('persists across reopen and purges expired rows', async () => {
    let now = 0;
    const first = await open(() => now);
    await first.claim('a', 1);
    await first.claim('b', 100);
    first.close();
    stores.splice(stores.indexOf(first), 1);
    const second = await open(() => now);
    expect(await second.claim('b', 100)).toBe(false);
    now = 2_000;
    expect(second.purgeExpired()).toBe(1);
  });

  it('accepts an existing database and a custom table; rejects unsafe table names', async () => {
    const db = new Database(join(dir, 'app.db'));
    const store = await createSqliteIdempotencyStore({ database: db, table: 'my_ids' });
    expect(await store.claim('x', 10)).toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM my_ids').get()).toEqual({ n: 1 });
    store.close(); // not owned: the database stays open
    expect(db.open).toBe(true);
    db.close();
    await expect(createSqliteIdempotencyStore({ filename: join(dir, 'x.db'), table: 'x; DROP' })).rejects.toThrow(
      'Invalid table name',
    );
  });
});
