import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createScratchDatabase, pgTestAvailability } from '../src/testing/pg-scratch.js';
import { spawnHerald, type SpawnedHerald } from '../src/testing/spawn-herald.js';

/**
 * Start-up faults give clear errors (issue #15), on a real `herald serve`: a corrupted SQLite file,
 * a data dir it cannot write, a PostgreSQL it cannot reach. (A master key that cannot open the
 * database: master-key.e2e.test.ts.)
 */
const pg = await pgTestAvailability();
if (!pg.ok) console.warn(`startup faults: the PostgreSQL case is skipped: ${pg.reason}`);

const dirs: string[] = [];
const mounts: string[] = [];
const procs: SpawnedHerald[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const h of procs.splice(0)) {
    if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
    await h.exited;
  }
  for (const s of servers.splice(0)) {
    s.close();
  }
  for (const m of mounts.splice(0)) execFileSync('umount', [m]);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'herald-startup-fault-'));
  dirs.push(d);
  return d;
};

/** Spawns, expects an exit before listening, and returns what it printed. */
async function refusal(env: Record<string, string>): Promise<string> {
  const outcome = await spawnHerald(env).then(
    (h) => (procs.push(h), 'listening'),
    (err: unknown) => (err as Error).message,
  );
  expect(outcome).toMatch(/^herald exited \(2\) before listening/);
  expect(outcome).not.toMatch(/unexpected error|\n\s+at /); // a message, not a stack trace
  return outcome;
}

describe('a corrupted SQLite file', () => {
  it('exits 2 naming the file and what to do; the file is left as it was', async () => {
    const dir = tempDir();
    const garbage = 'this is not a database, but it sits where herald.db should be\n'.repeat(100);
    writeFileSync(join(dir, 'herald.db'), garbage);
    const out = await refusal({ HERALD_DATA_DIR: dir });
    expect(out).toContain(
      `${join(dir, 'herald.db')} is not a readable SQLite database (file is not a database, SQLITE_NOTADB)`,
    );
    expect(out).toMatch(/restore herald\.db from a backup/);
    expect(out).toMatch(/HERALD_ALLOW_EMPTY_DATABASE=1: the events it held are then lost/);
    expect(execFileSync('cat', [join(dir, 'herald.db')], { encoding: 'utf8' })).toBe(garbage);
  }, 60_000);
});

/**
 * A directory this process cannot write: a read-only tmpfs when running as root (root ignores
 * permission bits), else a directory of mode 0555. Undefined (the test skips) when neither works.
 */
function readOnlyDir(): { dir: string; why: RegExp } | undefined {
  const dir = tempDir();
  if (process.getuid?.() === 0) {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir], { stdio: 'pipe' });
      mounts.push(dir);
      return { dir, why: /read-only file system \(EROFS\)/ };
    } catch {
      return undefined;
    }
  }
  chmodSync(dir, 0o555);
  return { dir, why: /permission denied \(EACCES\)/ };
}

describe('a data dir Herald cannot write', () => {
  it('exits 2 naming the directory and the permission', async (ctx) => {
    const ro = readOnlyDir();
    if (!ro) return ctx.skip('neither a read-only tmpfs (root) nor a 0555 directory (non-root) could be made');
    const out = await refusal({ HERALD_DATA_DIR: ro.dir });
    expect(out).toContain(`HERALD_DATA_DIR ${ro.dir} is not writable`);
    expect(out).toMatch(ro.why);
    expect(out).toMatch(/give the user running Herald \(uid \d+\) write permission/);
  }, 60_000);

  it('one that cannot be created: names it too', async (ctx) => {
    const ro = readOnlyDir();
    if (!ro) return ctx.skip('no read-only directory could be made');
    const out = await refusal({ HERALD_DATA_DIR: join(ro.dir, 'herald') });
    expect(out).toContain(`HERALD_DATA_DIR ${join(ro.dir, 'herald')} cannot be created`);
    expect(out).toMatch(ro.why);
  }, 60_000);
});

/** A free port on 127.0.0.1 (bound, then closed). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/** A TCP port on 127.0.0.1 that refuses connections until `forwardTo` is called. */
async function laterProxy(): Promise<{ port: number; forwardTo: (port: number) => Promise<void> }> {
  const port = await freePort();
  return {
    port,
    async forwardTo(target) {
      const sockets = new Set<Socket>();
      const proxy = createServer((client) => {
        const upstream = connect(target, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => (client.destroy(), upstream.destroy()));
        }
        client.pipe(upstream).pipe(client);
      });
      proxy.on('close', () => sockets.forEach((s) => s.destroy()));
      servers.push(proxy);
      await new Promise<void>((r) => proxy.listen(port, '127.0.0.1', r));
    },
  };
}

describe('PostgreSQL unreachable at start', () => {
  it.skipIf(!pg.ok)(
    'a database that does not exist: exit 2 at once, saying so, not a retry',
    async () => {
      const url = new URL(pg.ok ? pg.url : 'postgres://127.0.0.1/x');
      url.pathname = '/herald_startup_fault_missing';
      const out = await refusal({ HERALD_DATA_DIR: tempDir(), HERALD_DATABASE_URL: url.toString() });
      const user = decodeURIComponent(url.username) || '(default)';
      expect(out).toContain(
        `PostgreSQL at ${url.hostname}:${url.port || '5432'}, database herald_startup_fault_missing, user ${user}: ` +
          'the database does not exist: create it',
      );
      expect(out).not.toMatch(/cannot reach PostgreSQL/);
    },
    60_000,
  );

  it.skipIf(!pg.ok)(
    'logs what to check (host, port, database, user; no password), is not ready, retries with backoff and starts once PostgreSQL answers',
    async () => {
      const db = await createScratchDatabase();
      try {
        const proxy = await laterProxy();
        const real = new URL(db.url);
        const url = new URL(db.url);
        url.port = String(proxy.port);
        url.username = 'postgres';
        url.password = 'hunter2-secret';
        const port = await freePort();
        let output = '';
        let retried!: () => void;
        const twice = new Promise<void>((r) => (retried = r));
        const started = spawnHerald(
          { HERALD_DATA_DIR: tempDir(), HERALD_DATABASE_URL: url.toString(), HERALD_PORT: String(port) },
          [],
          {
            onOutput: (text) => {
              output = text;
              if ((text.match(/cannot reach PostgreSQL/g) ?? []).length >= 2) retried();
            },
          },
        ).then((h) => (procs.push(h), h));
        started.catch(() => undefined);
        await twice;
        const lines = output;
        // Not listening while it retries: a readiness probe fails.
        await expect(fetch(`http://127.0.0.1:${port}/readyz`)).rejects.toThrow();
        expect(lines).toMatch(
          new RegExp(`cannot reach PostgreSQL at 127\\.0\\.0\\.1:${proxy.port}, database ${db.name}, user postgres`),
        );
        expect(lines).toMatch(/ECONNREFUSED.*check that the server runs and accepts TCP connections/);
        expect(lines).toMatch(/"retryInMs":500[^]*"retryInMs":1000/);
        expect(lines).not.toContain('hunter2-secret');
        await proxy.forwardTo(Number(real.port || 5432));
        const h = await started;
        const ready = await fetch(`${h.url}/readyz`);
        expect(ready.status).toBe(200);
      } finally {
        await db.drop();
      }
    },
    90_000,
  );
});
