import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../keys/api-key.js';
import type { Store } from '../ports/store.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import { ConfigError } from './config.js';
import { bootstrapDefaultProject } from './default-project.js';

const KEY_A = 'hk_environment_key_A_0000000000000000';
const KEY_B = 'hk_environment_key_B_0000000000000000';
let dir: string;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<Store> {
  dir = mkdtempSync(join(tmpdir(), 'herald-default-project-'));
  store = await openSqliteStore(join(dir, 'herald.db'));
  return store;
}
const active = async (s: Store, key: string) => (await s.findApiKey(hashApiKey(key))) !== undefined;

describe('bootstrapDefaultProject', () => {
  it('refuses an HERALD_API_KEY shorter than 24 characters, saying what to do', async () => {
    const s = await open();
    for (const weak of ['x', 'hk_1234', 'hk_12345678901234567890']) {
      const run = bootstrapDefaultProject(s, { apiKey: weak, dataDir: dir, now: 1 });
      await expect(run).rejects.toBeInstanceOf(ConfigError);
      await expect(run).rejects.toThrow(/HERALD_API_KEY must be at least 24 characters/);
    }
    expect(await s.listApiKeys('default')).toEqual([]);
  });

  it('a changed HERALD_API_KEY revokes the previous environment key, and says so', async () => {
    const s = await open();
    const first = await bootstrapDefaultProject(s, { apiKey: KEY_A, dataDir: dir, now: 1 });
    expect(first).toMatchObject({
      apiKey: KEY_A,
      generated: false,
      source: 'env',
      revoked: false,
      revokedPrevious: [],
    });
    const second = await bootstrapDefaultProject(s, { apiKey: KEY_B, dataDir: dir, now: 2 });
    expect(second).toMatchObject({ source: 'env', revoked: false, revokedPrevious: [KEY_A.slice(0, 7)] });
    expect(await active(s, KEY_A)).toBe(false);
    expect(await active(s, KEY_B)).toBe(true);
    // Restarting with the same key changes nothing.
    expect(await bootstrapDefaultProject(s, { apiKey: KEY_B, dataDir: dir, now: 3 })).toMatchObject({
      revokedPrevious: [],
    });
  });

  it('keeps the generated key of the data dir and keys created over the API', async () => {
    const s = await open();
    const generated = await bootstrapDefaultProject(s, { apiKey: undefined, dataDir: dir, now: 1 });
    expect(generated).toMatchObject({ generated: true, source: 'generated' });
    await s.addApiKey(
      { id: 'key_ci', projectId: 'default', name: 'ci', prefix: 'hk_ci00', createdAt: 1, revokedAt: null },
      hashApiKey('hk_ci_key_000000000000000000000000'),
    );
    const fromFile = await bootstrapDefaultProject(s, { apiKey: undefined, dataDir: dir, now: 2 });
    expect(fromFile).toMatchObject({ apiKey: generated.apiKey, generated: false, source: 'file' });
    await bootstrapDefaultProject(s, { apiKey: KEY_A, dataDir: dir, now: 3 });
    expect(await active(s, generated.apiKey)).toBe(true);
    expect(await active(s, 'hk_ci_key_000000000000000000000000')).toBe(true);
  });

  it('a legacy env key (named "default") is revoked too, the data dir key is not', async () => {
    const s = await open();
    writeFileSync(join(dir, 'api-key'), `${KEY_B}\n`);
    await s.ensureProject({ id: 'default', name: 'Default project', createdAt: 1 });
    for (const [id, key] of [
      ['key_a', KEY_A],
      ['key_b', KEY_B],
    ] as const)
      await s.addApiKey(
        { id, projectId: 'default', name: 'default', prefix: key.slice(0, 7), createdAt: 1, revokedAt: null },
        hashApiKey(key),
      );
    const KEY_C = 'hk_environment_key_C_0000000000000000';
    const r = await bootstrapDefaultProject(s, { apiKey: KEY_C, dataDir: dir, now: 2 });
    expect(r.revokedPrevious).toEqual([KEY_A.slice(0, 7)]);
    expect(await active(s, KEY_B)).toBe(true);
  });

  it('a revoked HERALD_API_KEY is reported, not added again', async () => {
    const s = await open();
    await bootstrapDefaultProject(s, { apiKey: KEY_A, dataDir: dir, now: 1 });
    const [key] = await s.listApiKeys('default');
    await s.revokeApiKey('default', key!.id, 2);
    const r = await bootstrapDefaultProject(s, { apiKey: KEY_A, dataDir: dir, now: 3 });
    expect(r).toMatchObject({ source: 'env', revoked: true });
    expect(await active(s, KEY_A)).toBe(false);
  });
});
