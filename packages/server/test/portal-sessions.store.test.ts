import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/ports/store.js';
import { testStores } from '../src/testing/test-stores.js';

/** Portal sessions (`addPortalSession`, `getPortalSession`, `extendPortalSession`): every Store. */
const factories = await testStores('portal sessions store', { poolSize: 2 });

const T0 = 1_800_000_000_000;

for (const { name, open } of factories) {
  describe(`${name} store: portal sessions`, () => {
    let dir: string;
    let store: Store;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'herald-portal-sessions-'));
      store = await open(dir);
      await store.ensureProject({ id: 'p1', name: 'p1', createdAt: T0 });
      await store.ensureProject({ id: 'p2', name: 'p2', createdAt: T0 });
    });

    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('finds a session until its expiry, moves the expiry, and purges expired ones on insert', async () => {
      await store.addPortalSession({ hash: 'h1', projectId: 'p1', createdAt: T0, expireAt: T0 + 1000 });
      expect(await store.getPortalSession('h1', T0 + 999)).toEqual({
        hash: 'h1',
        projectId: 'p1',
        createdAt: T0,
        expireAt: T0 + 1000,
      });
      expect(await store.getPortalSession('h1', T0 + 1000)).toBeUndefined();
      expect(await store.getPortalSession('nope', T0)).toBeUndefined();
      await store.extendPortalSession('h1', T0 + 5000);
      expect((await store.getPortalSession('h1', T0 + 4999))?.expireAt).toBe(T0 + 5000);
      await store.addPortalSession({ hash: 'h2', projectId: 'p2', createdAt: T0 + 5000, expireAt: T0 + 9000 });
      expect(await store.getPortalSession('h1', T0)).toBeUndefined();
      expect((await store.getPortalSession('h2', T0 + 5000))?.projectId).toBe('p2');
    });

    it('deletes a project’s sessions with the project, and only its own', async () => {
      await store.addPortalSession({ hash: 'a', projectId: 'p1', createdAt: T0, expireAt: T0 + 1000 });
      await store.addPortalSession({ hash: 'b', projectId: 'p2', createdAt: T0, expireAt: T0 + 1000 });
      await store.deleteProject('p1');
      expect(await store.getPortalSession('a', T0)).toBeUndefined();
      expect(await store.getPortalSession('b', T0)).toBeDefined();
    });
  });
}
