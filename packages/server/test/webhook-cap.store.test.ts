import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/ports/store.js';
import { testStores } from '../src/testing/test-stores.js';
import { webhookRecord } from '../src/testing/webhook-record.js';

/** `countWebhooks` and the cap of `createWebhook`: behaviour every Store must have. */
const factories = await testStores('webhook cap store', { poolSize: 4 });

const T0 = 1_800_000_000_000;

const hook = (id: string, projectId: string) => webhookRecord(id, { projectId, secrets: [] });

for (const { name, open } of factories) {
  describe(`${name} store: webhook cap`, () => {
    let dir: string;
    let store: Store;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'herald-webhook-cap-'));
      store = await open(dir);
      await store.ensureProject({ id: 'p1', name: 'p1', createdAt: T0 });
      await store.ensureProject({ id: 'p2', name: 'p2', createdAt: T0 });
    });

    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('counts a project’s webhooks and refuses one past the cap, per project', async () => {
      expect(await store.createWebhook(hook('wh_1', 'p1'), 2)).toBe(true);
      expect(await store.createWebhook(hook('wh_2', 'p1'), 2)).toBe(true);
      expect(await store.createWebhook(hook('wh_3', 'p1'), 2)).toBe(false);
      expect(await store.countWebhooks('p1')).toBe(2);
      expect(await store.createWebhook(hook('wh_4', 'p2'), 2)).toBe(true);
      expect(await store.createWebhook(hook('wh_5', 'p1'))).toBe(true); // no cap given
      expect(await store.countWebhooks('p1')).toBe(3);
      expect(await store.countWebhooks('p2')).toBe(1);
    });

    it('never overshoots the cap under concurrent creates', async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => store.createWebhook(hook(`wh_c${i}`, 'p1'), 5)),
      );
      expect(results.filter(Boolean)).toHaveLength(5);
      expect(await store.countWebhooks('p1')).toBe(5);
    });
  });
}
