/**
 * Upgrading to the tenants release (migration 0007): a database of the previous release keeps its
 * project and keys. The previous release is rebuilt as it was: migrations up to 0006 only, the
 * default project and its key written the way that release wrote them (`<data dir>/api-key`, the
 * SHA-256 in `api_keys`), plus a key it had created over its API. Then the current Herald starts
 * on it: the old keys are project keys (they work on un-prefixed routes, 403 on the admin plane),
 * and an admin key is generated into the data dir and works.
 */
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { hashApiKey, newApiKey } from '../src/keys/api-key.js';
import { migrationProvider } from '../src/store/migrations/index.js';
import { openDatabase } from '../src/store/sqlite/open-database.js';
import { createScratchDatabase, pgTestAvailability } from '../src/testing/pg-scratch.js';
import { startTestHerald } from '../src/testing/test-herald.js';

const PREVIOUS_RELEASE = '0006-dynamic-signing-default';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'herald-upgrade-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** What the previous release left: its schema, the default project, its data-dir key and a `ci` key. */
async function previousRelease(db: Kysely<unknown>, dataDir: string): Promise<{ fileKey: string; ciKey: string }> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateTo(PREVIOUS_RELEASE);
  expect(error).toBeUndefined();
  expect(results?.at(-1)?.migrationName).toBe(PREVIOUS_RELEASE);
  const now = Date.parse('2026-11-01T00:00:00Z');
  await db
    .insertInto('projects' as never)
    .values({ id: 'default', name: 'Default project', created_at: now })
    .execute();
  const fileKey = newApiKey();
  const ciKey = newApiKey();
  for (const [id, name, key] of [
    ['key_old_default', 'default', fileKey],
    ['key_old_ci', 'ci', ciKey],
  ] as const) {
    await db
      .insertInto('api_keys' as never)
      .values({
        id,
        project_id: 'default',
        name,
        prefix: key.slice(0, 7),
        hash: hashApiKey(key),
        created_at: now,
        revoked_at: null,
      })
      .execute();
  }
  writeFileSync(join(dataDir, 'api-key'), `${fileKey}\n`, { mode: 0o600 });
  return { fileKey, ciKey };
}

/** Starts the current Herald on the old database and checks what an upgrade must keep and add. */
async function checkUpgrade(
  dataDir: string,
  config: { databaseUrl?: string; masterKey?: string },
  keys: { fileKey: string; ciKey: string },
) {
  expect(existsSync(join(dataDir, 'admin-key'))).toBe(false);
  const herald = await startTestHerald({ dataDir, config });
  try {
    const call = async (key: string, method: string, path: string) => {
      const res = await fetch(herald.url + path, { method, headers: { 'x-goog-api-key': key } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    // The data dir's key is still the default project's key; the API-created one works too.
    expect(herald.apiKey).toBe(keys.fileKey);
    for (const key of [keys.fileKey, keys.ciKey]) {
      expect((await call(key, 'GET', '/v1beta/webhooks')).status).toBe(200);
      expect((await call(key, 'GET', '/v1beta/projects/default/webhooks')).status).toBe(200);
      const denied = await call(key, 'GET', '/v1beta/projects');
      expect(denied.status).toBe(403);
      expect(JSON.stringify(denied.body)).toMatch(/needs the admin key/);
    }
    const listed = await call(keys.fileKey, 'GET', '/v1beta/apiKeys');
    expect((listed.body.api_keys as { id: string }[]).map((k) => k.id).sort()).toEqual([
      'key_old_ci',
      'key_old_default',
    ]);

    // An admin key was generated into the data dir (0600) and it works.
    const adminFile = join(dataDir, 'admin-key');
    expect(statSync(adminFile).mode & 0o777).toBe(0o600);
    const adminKey = readFileSync(adminFile, 'utf8').trim();
    expect(adminKey).toBe(herald.adminKey);
    expect(adminKey).toMatch(/^ha_/);
    const projects = await call(adminKey, 'GET', '/v1beta/projects');
    expect(projects.status).toBe(200);
    expect(projects.body.projects).toEqual([expect.objectContaining({ id: 'default', name: 'Default project' })]);
    expect((await call(adminKey, 'GET', '/v1beta/projects/default/apiKeys')).status).toBe(200);
  } finally {
    await herald.close();
  }
  // A second start keeps the same admin key (read back from the data dir).
  const again = await startTestHerald({ dataDir, config });
  try {
    expect(again.adminKey).toBe(readFileSync(join(dataDir, 'admin-key'), 'utf8').trim());
    expect(again.apiKey).toBe(keys.fileKey);
  } finally {
    await again.close();
  }
}

describe('upgrade from the previous release (schema 0006) to tenants', () => {
  it('SQLite: the project and its keys stay; an admin key is generated and works', async () => {
    const dataDir = tempDir();
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: openDatabase(join(dataDir, 'herald.db')) }),
    });
    let keys: { fileKey: string; ciKey: string };
    try {
      keys = await previousRelease(db, dataDir);
    } finally {
      await db.destroy();
    }
    await checkUpgrade(dataDir, {}, keys);
  });

  it('PostgreSQL: the project and its keys stay; an admin key is generated and works', async (ctx) => {
    const available = await pgTestAvailability();
    if (!available.ok) return ctx.skip(available.reason);
    const scratch = await createScratchDatabase(available.url, 'herald_upgrade');
    cleanups.push(() => scratch.drop());
    const dataDir = tempDir();
    const db = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: scratch.url, max: 1 }) }),
    });
    let keys: { fileKey: string; ciKey: string };
    try {
      keys = await previousRelease(db, dataDir);
    } finally {
      await db.destroy();
    }
    await checkUpgrade(dataDir, { databaseUrl: scratch.url, masterKey: randomBytes(32).toString('base64') }, keys);
  });
});
