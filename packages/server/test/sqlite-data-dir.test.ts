import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHerald } from '../src/compose/herald.js';
import { spawnHerald } from '../src/testing/spawn-herald.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * The SQLite data dir rows of the security review (issue #15): file modes, one process per data
 * dir, a database deleted under a running Herald (or before a restart), and a full disk.
 */
let h: TestHerald | undefined;
const dirs: string[] = [];
const mounts: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const m of mounts.splice(0)) execFileSync('umount', [m]);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'herald-datadir-'));
  dirs.push(d);
  return d;
};
const mode = (f: string) => statSync(f).mode & 0o777;
const emit = (t: TestHerald, data: unknown = { n: 1 }) =>
  fetch(`${t.url}/v1beta/events`, {
    method: 'POST',
    headers: { 'x-goog-api-key': t.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'x.y', data }),
  });

describe('file modes', () => {
  it('herald.db, -wal and -shm are 0600 in a pre-created 0755 dir, and an existing 0644 database is tightened', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    h = await startTestHerald({ dataDir: dir });
    expect((await emit(h)).status).toBe(200);
    for (const f of ['herald.db', 'herald.db-wal', 'herald.db-shm']) expect(mode(join(dir, f)), f).toBe(0o600);
    await h.close();
    h = undefined;
    chmodSync(join(dir, 'herald.db'), 0o644);
    h = await startTestHerald({ dataDir: dir });
    expect(mode(join(dir, 'herald.db'))).toBe(0o600);
  });
});

describe('one process per data dir', () => {
  it('a second herald serve on the same dir refuses to start, saying why', async () => {
    const dir = tempDir();
    h = await startTestHerald({ dataDir: dir });
    await expect(spawnHerald({ HERALD_DATA_DIR: dir })).rejects.toThrow(
      /herald exited \(1\) before listening:[^]*another Herald process is using the data dir/,
    );
    // In the same process too.
    await expect(createHerald({ config: { port: 0, dataDir: dir, logLevel: 'silent' } })).rejects.toThrow(
      /another Herald process is using the data dir/,
    );
    // The first one is untouched, and the lock goes with it.
    expect((await emit(h)).status).toBe(200);
    await h.close();
    h = await startTestHerald({ dataDir: dir });
  }, 60_000);
});

describe('a deleted database', () => {
  it('while running: /readyz fails and writes are refused; a restart refuses an empty database unless told to', async () => {
    const dir = tempDir();
    h = await startTestHerald({ dataDir: dir, config: { dataDirCheckMs: 100 } });
    expect((await emit(h)).status).toBe(200);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    for (const f of ['herald.db', 'herald.db-wal', 'herald.db-shm']) rmSync(join(dir, f), { force: true });
    await expect.poll(async () => (await fetch(`${h!.url}/readyz`)).status, { timeout: 5000 }).toBe(503);
    // Nothing more is accepted that a restart would lose.
    await expect.poll(async () => (await emit(h!)).status, { timeout: 5000 }).toBe(503);
    const refused = (await (await emit(h)).json()) as { error: { status: string; message: string } };
    expect(refused.error).toMatchObject({
      status: 'UNAVAILABLE',
      message: expect.stringMatching(/database file was deleted/),
    });
    expect((await h.api('GET', '/v1beta/events')).status).toBe(200);
    await h.close();
    h = undefined;

    await expect(createHerald({ config: { port: 0, dataDir: dir, logLevel: 'silent' } })).rejects.toThrow(
      /herald\.db is missing from .* but a database was created there on .*: restore it from a backup, or set HERALD_ALLOW_EMPTY_DATABASE=1/,
    );
    expect(existsSync(join(dir, 'herald.db'))).toBe(false);
    h = await startTestHerald({ dataDir: dir, config: { allowEmptyDatabase: true } });
    expect((await emit(h)).status).toBe(200);
  }, 30_000);
});

function mountTmpfs(dir: string, size: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    mounts.push(dir);
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

describe('a full disk', () => {
  it('ingest answers 503 UNAVAILABLE with Retry-After saying the disk is full, /readyz fails, and both recover', async (ctx) => {
    const dir = tempDir();
    const why = mountTmpfs(dir, '4m');
    if (why) return ctx.skip(`needs a tmpfs (root): ${why}`);
    h = await startTestHerald({ dataDir: dir });
    const filler = join(dir, 'filler');
    // Leave a little room, then fill it with events.
    const free = () => {
      const fs = statfsSync(dir);
      return fs.bavail * fs.bsize;
    };
    writeFileSync(filler, Buffer.alloc(Math.max(0, free() - 600 * 1024)));
    let res: Response | undefined;
    for (let i = 0; i < 200; i++) {
      res = await emit(h, { blob: 'x'.repeat(50_000), i });
      if (res.status !== 200) break;
    }
    expect(res!.status).toBe(503);
    expect(res!.headers.get('retry-after')).toBe('30');
    const body = (await res!.json()) as { error: { status: string; message: string } };
    expect(body.error.status).toBe('UNAVAILABLE');
    expect(body.error.message).toMatch(/disk .* is full/);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(503);
    rmSync(filler);
    await expect.poll(async () => (await emit(h!)).status, { timeout: 10_000 }).toBe(200);
    await expect.poll(async () => (await fetch(`${h!.url}/readyz`)).status, { timeout: 10_000 }).toBe(200);
  }, 60_000);
});
