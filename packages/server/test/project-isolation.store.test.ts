import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEvent } from '../src/model/build-event.js';
import { newFile } from '../src/model/new-file.js';
import type { Store } from '../src/ports/store.js';
import { testStores } from '../src/testing/test-stores.js';

/**
 * The store methods this change added (files list/delete, batch emits) keep to the project they
 * are given: project p2 never sees, lists, deletes or is counted with p1's rows. The whole-API
 * two-project matrix comes with tenants (issue #13); until then only one project is reachable
 * over HTTP, so the scoping is proven here, at the store, on both dialects.
 */
const factories = await testStores('project isolation store', { poolSize: 2 });
const T0 = 1_800_000_000_000;

const file = (projectId: string, name: string) =>
  newFile({
    name,
    projectId,
    displayName: name,
    mimeType: 'text/plain',
    content: new TextEncoder().encode(`bytes of ${name}`),
    operation: null,
    now: T0,
    timeScale: 1,
  });

const event = (projectId: string, idempotencyKey?: string) =>
  buildEvent({
    projectId,
    type: 'a.b',
    data: {},
    now: T0,
    target: { kind: 'subscribers' },
    timeScale: 1,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });

for (const { name, open } of factories) {
  describe(`${name} store: what one project does stays in it`, () => {
    let dir: string;
    let store: Store;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'herald-isolation-'));
      store = await open(dir);
      await store.ensureProject({ id: 'p1', name: 'p1', createdAt: T0 });
      await store.ensureProject({ id: 'p2', name: 'p2', createdAt: T0 });
    });

    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('files: list and delete see only the given project', async () => {
      const a = file('p1', 'files/a');
      await store.createFile(a.file, a.content);
      expect((await store.listFiles('p1', { limit: 10 })).map((f) => f.name)).toEqual(['files/a']);
      expect(await store.listFiles('p2', { limit: 10 })).toEqual([]);
      expect(await store.deleteFile('p2', 'files/a')).toBe(false);
      expect(await store.getFile('p1', 'files/a')).toBeDefined();
      expect(await store.deleteFile('p1', 'files/a')).toBe(true);
    });

    it('batch emits: sequences, idempotency keys and logs are per project', async () => {
      const p1 = await store.emitEvents([event('p1', 'k'), event('p1')]);
      const [again] = await store.emitEvents([event('p2', 'k')]);
      expect(again!.duplicate).toBe(false); // p1's key is not p2's
      // SQLite numbers each project's events from 1; PostgreSQL by transaction id (ADR 0012).
      if (name === 'sqlite') expect(again!.event.sequence).toBe(1);
      expect((await store.listEvents('p1', { afterSequence: 0, pageSize: 10 })).map((e) => e.sequence)).toEqual(
        p1.map((r) => r.event.sequence),
      );
      expect((await store.listEvents('p2', { afterSequence: 0, pageSize: 10 })).map((e) => e.projectId)).toEqual([
        'p2',
      ]);
    });
  });
}
