import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createScratchDatabase, pgTestAvailability } from '../src/testing/pg-scratch.js';
import { spawnHerald, type SpawnedHerald } from '../src/testing/spawn-herald.js';

/**
 * Start-up rows of the security review (issue #15), on a real `herald serve`: what a start does
 * with a port in use, a weak, changed or revoked HERALD_API_KEY, and a development server bound
 * beyond loopback.
 */
const pg = await pgTestAvailability();
if (!pg.ok) console.warn(`startup safety: the PostgreSQL cases are skipped: ${pg.reason}`);

const dirs: string[] = [];
const procs: SpawnedHerald[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const h of procs.splice(0)) {
    if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
    await h.exited;
  }
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'herald-startup-'));
  dirs.push(d);
  return d;
};
const KEY_A = 'hk_startup_key_A_000000000000000000000';
const KEY_B = 'hk_startup_key_B_000000000000000000000';

async function busyPort(): Promise<number> {
  const s = createServer();
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as { port: number }).port;
}

/** Spawns and expects the process to exit before it listens; resolves with what it printed. */
async function expectRefusal(env: Record<string, string>): Promise<string> {
  const run = spawnHerald(env);
  // A process that keeps running (a headless worker) never resolves nor rejects: 30 s says so.
  const outcome = await Promise.race([
    run.then(
      (h) => (procs.push(h), 'listening'),
      (err: unknown) => (err as Error).message,
    ),
    new Promise<string>((r) => setTimeout(() => r('still running after 30 s'), 30_000)),
  ]);
  expect(outcome).toMatch(/^herald exited \([1-9]\d*\) before listening/);
  return outcome;
}

describe('a port already in use', () => {
  it('SQLite: exits non-zero', async () => {
    const out = await expectRefusal({ HERALD_DATA_DIR: tempDir(), HERALD_PORT: String(await busyPort()) });
    expect(out).toMatch(/port \d+ on 127.0.0.1 is in use/);
  }, 60_000);

  it.skipIf(!pg.ok)(
    'PostgreSQL: exits non-zero before starting the engine',
    async () => {
      const db = await createScratchDatabase();
      try {
        const out = await expectRefusal({
          HERALD_DATA_DIR: tempDir(),
          HERALD_DATABASE_URL: db.url,
          HERALD_PORT: String(await busyPort()),
        });
        expect(out).toMatch(/port \d+ on 127.0.0.1 is in use/);
      } finally {
        await db.drop();
      }
    },
    60_000,
  );
});

describe('HERALD_API_KEY', () => {
  it('shorter than 24 characters is refused with exit 2 and what to do', async () => {
    const out = await expectRefusal({ HERALD_DATA_DIR: tempDir(), HERALD_API_KEY: 'x' });
    expect(out).toMatch(/herald exited \(2\)[^]*HERALD_API_KEY must be at least 24 characters \(it has 1\)/);
  }, 60_000);

  it('changed: the previous one is revoked, with a warning; revoked: a loud error and no key printed', async () => {
    const dir = tempDir();
    const a = await spawnHerald({ HERALD_DATA_DIR: dir, HERALD_API_KEY: KEY_A });
    procs.push(a);
    const keyB = await fetch(`${a.url}/v1beta/apiKeys`, {
      method: 'POST',
      headers: { 'x-goog-api-key': KEY_A, 'content-type': 'application/json' },
      body: '{"name":"kept"}',
    });
    const created = (await keyB.json()) as { key: string };
    a.child.kill('SIGTERM');
    await a.exited;

    const b = await spawnHerald({ HERALD_DATA_DIR: dir, HERALD_API_KEY: KEY_B });
    procs.push(b);
    await expect
      .poll(() => b.output(), { timeout: 10_000 })
      .toMatch(/HERALD_API_KEY changed: the previous environment key is revoked/);
    const get = (key: string) => fetch(`${b.url}/v1beta/webhooks`, { headers: { 'x-goog-api-key': key } });
    expect((await get(KEY_A)).status).toBe(400); // API_KEY_INVALID, as Gemini answers a key that is not valid
    expect((await get(KEY_B)).status).toBe(200);
    expect((await get(created.key)).status).toBe(200);
    b.child.kill('SIGTERM');
    await b.exited;

    const again = await spawnHerald({ HERALD_DATA_DIR: dir, HERALD_API_KEY: KEY_A });
    procs.push(again);
    await expect
      .poll(() => again.output(), { timeout: 10_000 })
      .toMatch(/"level":50[^\n]*HERALD_API_KEY was revoked and does not authenticate/);
    expect(again.output()).toContain('HERALD_API_KEY is revoked and does not authenticate: set a new one');
    expect(again.output()).not.toContain(KEY_A);
  }, 90_000);
});

describe('development mode beyond loopback', () => {
  it('warns loudly at start', async () => {
    const h = await spawnHerald({ HERALD_DATA_DIR: tempDir(), HERALD_HOST: '0.0.0.0' });
    procs.push(h);
    // The log line and the banner share stdout; the log may come second.
    await expect
      .poll(() => h.output(), { timeout: 10_000 })
      .toMatch(
        /"level":40[^\n]*development mode on 0\.0\.0\.0, reachable from other machines, with private and loopback destinations allowed/,
      );
  }, 60_000);

  it('is quiet on loopback', async () => {
    const h = await spawnHerald({ HERALD_DATA_DIR: tempDir() });
    procs.push(h);
    expect(h.output()).not.toMatch(/development mode on/);
  }, 60_000);
});
