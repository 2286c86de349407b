import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import type { Store } from '../ports/store.js';
import { ApiKeyService } from './api-key-service.js';
import { KEY_CACHE_TTL_MS, KeyIdentityCache } from './key-identity-cache.js';
import { ProjectAdminService } from './project-admin-service.js';

describe('KeyIdentityCache', () => {
  const acme = { projectId: 'acme', keyId: 'key_a', admin: false };

  it('remembers a key for the TTL, then asks again', () => {
    const clock = new ManualClock(1_800_000_000_000);
    const cache = new KeyIdentityCache({ clock });
    cache.set('h1', acme);
    clock.advance(KEY_CACHE_TTL_MS - 1);
    expect(cache.get('h1')).toEqual(acme);
    clock.advance(1);
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('holds at most `max` keys, dropping the least recently used', () => {
    const cache = new KeyIdentityCache({ clock: new ManualClock(0), max: 2 });
    cache.set('h1', acme);
    cache.set('h2', { ...acme, keyId: 'key_b' });
    cache.get('h1');
    cache.set('h3', { ...acme, keyId: 'key_c' });
    expect([cache.get('h1')?.keyId, cache.get('h2'), cache.get('h3')?.keyId]).toEqual(['key_a', undefined, 'key_c']);
  });

  it("forgets a revoked key, and a deleted project's keys but not the admin key acting on it", () => {
    const cache = new KeyIdentityCache({ clock: new ManualClock(0) });
    cache.set('h1', acme);
    cache.set('h2', { projectId: 'acme', keyId: 'key_b', admin: false });
    cache.set('h3', { projectId: 'acme', keyId: 'akey_1', admin: true });
    cache.forgetKey('key_a');
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h2')).toBeDefined();
    cache.forgetProject('acme');
    expect(cache.get('h2')).toBeUndefined();
    expect(cache.get('h3')).toBeDefined();
  });
});

describe('ApiKeyService with a KeyIdentityCache (a real SQLite store)', () => {
  let dir: string;
  let store: Store;
  let clock: ManualClock;
  let here: ApiKeyService;
  /** Another process on the same database: its revocations reach `here` only through the store. */
  let elsewhere: ApiKeyService;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-key-cache-'));
    store = await openSqliteStore(join(dir, 'herald.db'));
    clock = new ManualClock(1_800_000_000_000);
    await store.ensureProject({ id: 'acme', name: 'Acme', createdAt: clock.now() });
    here = new ApiKeyService({ keys: store, clock, cache: new KeyIdentityCache({ clock }) });
    elsewhere = new ApiKeyService({ keys: store, clock });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a known key without the store until the TTL has passed', async () => {
    const { key, record } = await here.create('acme', { name: 'ci' });
    expect(await here.authenticate(key)).toEqual({ projectId: 'acme', keyId: record.id, admin: false });
    await elsewhere.revoke('acme', record.id, { force: true });
    expect((await here.authenticate(key))?.keyId).toBe(record.id); // believed within the TTL
    clock.advance(KEY_CACHE_TTL_MS);
    expect(await here.authenticate(key)).toBeUndefined(); // revoked elsewhere: refused within the bound
  });

  it('refuses a key revoked in this process at once', async () => {
    const { key, record } = await here.create('acme', { name: 'ci' });
    expect(await here.authenticate(key)).toBeDefined();
    await here.revoke('acme', record.id, { force: true });
    expect(await here.authenticate(key)).toBeUndefined();
  });

  it("refuses a deleted project's key at once", async () => {
    const cache = new KeyIdentityCache({ clock });
    const keys = new ApiKeyService({ keys: store, clock, cache });
    const admin = new ProjectAdminService({ projects: store, clock, keyCache: cache });
    const { key } = await keys.create('acme', { name: 'ci' });
    expect(await keys.authenticate(key)).toBeDefined();
    await admin.delete('acme');
    expect(await keys.authenticate(key)).toBeUndefined();
  });

  it('does not remember an unknown key: one created elsewhere works at once', async () => {
    expect(await here.authenticate('hk_unknown')).toBeUndefined();
    const { key } = await elsewhere.create('acme', { name: 'other' });
    expect(await here.authenticate(key)).toBeDefined();
  });
});
