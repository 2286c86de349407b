import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createScratchDatabase, pgTestAvailability } from '../src/testing/pg-scratch.js';
import { spawnHerald, type SpawnedHerald } from '../src/testing/spawn-herald.js';

// A worker shares a PostgreSQL database with the API processes (on SQLite, HERALD_ROLE=worker
// is refused at start).
const pg = await pgTestAvailability();
if (!pg.ok) console.warn(`serve banner: the worker banner test is skipped: ${pg.reason}`);

/**
 * The banner `herald serve` prints once it listens, per role: every role prints the `Health` line
 * that scripts (and `spawnHerald`) find the URL in; a worker, which serves no API, prints no API
 * URL and no `curl` examples that would answer 404.
 */
const started: { h: SpawnedHerald; dir: string }[] = [];

afterEach(async () => {
  for (const { h, dir } of started.splice(0)) {
    if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGTERM');
    await h.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});

async function serve(role: string, env: Record<string, string> = {}): Promise<SpawnedHerald> {
  const dir = mkdtempSync(join(tmpdir(), `herald-banner-${role}-`));
  const h = await spawnHerald({ HERALD_ROLE: role, HERALD_DATA_DIR: dir, ...env });
  started.push({ h, dir });
  return h;
}

describe('herald serve banner', () => {
  it.skipIf(!pg.ok)(
    'a worker says what it is and where to watch it, with no API line or curl examples',
    async () => {
      const db = await createScratchDatabase();
      try {
        const h = await serve('worker', { HERALD_DATABASE_URL: db.url });
        const out = h.output();
        expect(out).toContain('Herald worker is running');
        expect(out).toMatch(/Role\s+worker: delivery engine/);
        expect(out).toContain(`Health     ${h.url}/healthz   (readiness ${h.url}/readyz)`);
        expect(out).toContain(`Metrics    ${h.url}/metrics`);
        expect(out).toMatch(/Database {3}postgres:\/\/\S*herald_test_/);
        expect(out).not.toMatch(/API\s+http|v1beta|curl|Dashboard|API key/);
        expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
        expect((await fetch(`${h.url}/v1beta/webhooks`)).status).toBe(404);
        h.child.kill('SIGTERM');
        await h.exited;
      } finally {
        await db.drop();
      }
    },
    60_000,
  );

  it('refuses HERALD_ROLE=worker on SQLite, saying what to set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-banner-sqlite-worker-'));
    try {
      await expect(spawnHerald({ HERALD_ROLE: 'worker', HERALD_DATA_DIR: dir })).rejects.toThrow(
        /herald exited \(2\) before listening:[^]*HERALD_ROLE=worker splits Herald across processes/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('the API banner keeps its API, dashboard, key and curl lines, and adds the Health line', async () => {
    const h = await serve('all');
    const out = h.output();
    expect(out).toContain('Herald is running');
    expect(out).toContain(`API        ${h.url}/v1beta   (also ${h.url}/v1)`);
    expect(out).toContain(`Dashboard  ${h.url}/`);
    expect(out).toContain(`Health     ${h.url}/healthz`);
    expect(out).toMatch(/API key {4}hk_/);
    expect(out).toContain(`curl -s ${h.url}/v1beta/events`);
  }, 60_000);

  it('on port 0, the URLs Herald hands out (upload sessions, OpenAPI servers, the JWT issuer) carry the port it listens on', async () => {
    const key = 'hk_banner_test_key_0123456789abcdef';
    const h = await serve('all', { HERALD_PORT: '0', HERALD_API_KEY: key });
    const res = await fetch(`${h.url}/upload/v1beta/files`, {
      method: 'POST',
      headers: {
        'x-goog-api-key': key,
        'x-goog-upload-protocol': 'resumable',
        'x-goog-upload-command': 'start',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ file: { display_name: 'x.jsonl' } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-goog-upload-url')).toMatch(new RegExp(`^${h.url}/upload/v1beta/files\\?`));
    const openapi = (await (await fetch(`${h.url}/openapi.json`)).json()) as { servers: { url: string }[] };
    expect(openapi.servers).toEqual([{ url: h.url }]);
  }, 60_000);

  it('prints a key only when this start generated it; from the data dir or HERALD_API_KEY it says where it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-banner-key-'));
    try {
      const first = await spawnHerald({ HERALD_DATA_DIR: dir });
      const key = /API key {4}(hk_\S+) {3}\(new; saved in the data dir\)/.exec(first.output())?.[1];
      expect(key).toMatch(/^hk_\w{32}$/);
      const adminKey = new RegExp(`Admin key  (ha_\\w{32}) {3}\\(new; saved in ${dir}/admin-key\\)`).exec(
        first.output(),
      )?.[1];
      expect(adminKey).toBeDefined();
      first.child.kill('SIGTERM');
      await first.exited;

      const again = await spawnHerald({ HERALD_DATA_DIR: dir });
      expect(again.output()).not.toContain(key);
      expect(again.output()).not.toContain(adminKey);
      expect(again.output()).toContain(`Admin key  ${adminKey!.slice(0, 7)}…   (saved in ${dir}/admin-key)`);
      expect(again.output()).toContain(`API key    ${key!.slice(0, 7)}…   (saved in ${dir}/api-key)`);
      expect(again.output()).toContain(`-H 'x-goog-api-key: '"$(cat ${dir}/api-key)"''`);
      again.child.kill('SIGTERM');
      await again.exited;

      const envKey = 'hk_banner_env_key_0123456789abcdef00';
      const fromEnv = await spawnHerald({ HERALD_DATA_DIR: dir, HERALD_API_KEY: envKey });
      expect(fromEnv.output()).not.toContain(envKey);
      expect(fromEnv.output()).toContain(`API key    hk_bann…   (from HERALD_API_KEY or --api-key)`);
      fromEnv.child.kill('SIGTERM');
      await fromEnv.exited;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
