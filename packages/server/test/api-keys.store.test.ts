import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from '../src/model/records.js';
import type { Store } from '../src/ports/store.js';
import { testStores } from '../src/testing/test-stores.js';

/** API keys (`addApiKey`, `listApiKeys`, `revokeApiKey`, `findApiKey`): behaviour every Store must have. */
const factories = await testStores('api keys store', { poolSize: 2 });

const T0 = 1_800_000_000_000;

const key = (id: string, projectId: string, createdAt: number): ApiKeyRecord => ({
  id,
  projectId,
  name: `name of ${id}`,
  prefix: `hk_${id.slice(-4)}`,
  createdAt,
  revokedAt: null,
});

for (const { name, open } of factories) {
  describe(`${name} store: API keys`, () => {
    let dir: string;
    let store: Store;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'herald-apikeys-'));
      store = await open(dir);
      await store.ensureProject({ id: 'p1', name: 'p1', createdAt: T0 });
      await store.ensureProject({ id: 'p2', name: 'p2', createdAt: T0 });
    });

    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lists a project’s keys oldest first, without hashes, and only its own', async () => {
      await store.addApiKey(key('key_b', 'p1', T0 + 2), 'hash-b');
      await store.addApiKey(key('key_a', 'p1', T0 + 1), 'hash-a');
      await store.addApiKey(key('key_c', 'p2', T0), 'hash-c');
      const list = await store.listApiKeys('p1');
      expect(list).toEqual([key('key_a', 'p1', T0 + 1), key('key_b', 'p1', T0 + 2)]);
      expect(JSON.stringify(list)).not.toContain('hash');
      expect(await store.listApiKeys('nope')).toEqual([]);
    });

    it('revokes once: the key stops authenticating and keeps its first revoke time', async () => {
      await store.addApiKey(key('key_a', 'p1', T0), 'hash-a');
      expect(await store.findApiKey('hash-a')).toEqual({ projectId: 'p1', keyId: 'key_a' });
      expect(await store.revokeApiKey('p2', 'key_a', T0 + 5)).toBeUndefined(); // another project's key
      expect(await store.findApiKey('hash-a')).toBeDefined();

      expect(await store.revokeApiKey('p1', 'key_a', T0 + 10)).toEqual({
        ...key('key_a', 'p1', T0),
        revokedAt: T0 + 10,
      });
      expect(await store.findApiKey('hash-a')).toBeUndefined();
      expect(await store.hasApiKeyHash('hash-a')).toBe(true);
      expect((await store.revokeApiKey('p1', 'key_a', T0 + 20))?.revokedAt).toBe(T0 + 10);
      expect(await store.revokeApiKey('p1', 'key_missing', T0)).toBeUndefined();
      expect((await store.listApiKeys('p1'))[0]?.revokedAt).toBe(T0 + 10);
    });
  });
}
