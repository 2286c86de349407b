import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEvent } from '../src/model/build-event.js';
import type { OperationChange, OperationRecord } from '../src/model/operation-records.js';
import type { Store } from '../src/ports/store.js';
import { testStores } from '../src/testing/test-stores.js';

/**
 * The OperationStore contract: one suite for every store implementation (SQLite always,
 * PostgreSQL when reachable), so they lease, transition and notify alike.
 */
const factories = await testStores('operation store', { poolSize: 4 });

const T0 = 1_800_000_000_000;
let seq = 0;
function op(over: Partial<OperationRecord> = {}): OperationRecord {
  const id = `op${++seq}`;
  return {
    name: `operations/${id}`,
    id,
    projectId: 'p1',
    kind: 'etl',
    state: 'pending',
    metadata: { n: seq },
    progress: null,
    result: null,
    error: null,
    webhookConfig: null,
    leaseId: null,
    leaseOwner: null,
    leaseUntil: null,
    attempt: 0,
    heartbeatAt: null,
    idempotencyKey: null,
    createdAt: T0 + seq,
    updatedAt: T0 + seq,
    startedAt: null,
    endedAt: null,
    expireAt: null,
    ...over,
  };
}
let leaseSeq = 0;
const lease = (store: Store, over: Partial<Parameters<Store['leaseOperations']>[0]> = {}) =>
  store.leaseOperations({
    kinds: ['etl'],
    max: 10,
    now: T0 + 1000,
    leaseMs: 10_000,
    owner: 'runner:test',
    newLeaseId: () => `lease_${++leaseSeq}`,
    ...over,
  });

for (const f of factories) {
  describe(`operation store: ${f.name}`, () => {
    let dir: string;
    let store: Store;
    let changes: OperationChange[];
    let waiters: { match: (c: OperationChange) => boolean; resolve: () => void }[];
    /** Resolves once a matching change has been notified (PostgreSQL notifies asynchronously). */
    const notified = (match: (c: OperationChange) => boolean) =>
      changes.some(match) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ match, resolve }));
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'herald-ops-store-'));
      store = await f.open(dir);
      await store.ensureProject({ id: 'p1', name: 'one', createdAt: T0 });
      await store.ensureProject({ id: 'p2', name: 'two', createdAt: T0 });
      changes = [];
      waiters = [];
      store.subscribeOperations((c) => {
        changes.push(c);
        for (const w of waiters.filter((x) => x.match(c))) w.resolve();
      });
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('creates, reads, and returns the original for a repeated idempotency key', async () => {
      const a = op({ idempotencyKey: 'k' });
      expect(await store.createOperation(a)).toEqual({ operation: a, duplicate: false });
      const again = await store.createOperation(op({ idempotencyKey: 'k' }));
      expect(again).toEqual({ operation: a, duplicate: true });
      expect(await store.getOperation('p1', a.name)).toEqual(a);
      expect(await store.getOperation('p2', a.name)).toBeUndefined();
    });

    it('leases pending work of the kinds, oldest first, then work whose lease expired', async () => {
      const a = op();
      const b = op({ kind: 'other' });
      const c = op({ projectId: 'p2' });
      const expired = op({ expireAt: T0 });
      for (const o of [a, b, c, expired]) await store.createOperation(o);
      expect((await lease(store, { projectId: 'p1' })).map((o) => o.name)).toEqual([a.name]);
      const [first] = await lease(store);
      expect(first).toMatchObject({ name: c.name, state: 'running', attempt: 1, leaseOwner: 'runner:test' });
      expect(await lease(store, { now: T0 + 5000 })).toEqual([]);
      const [again] = await lease(store, { projectId: 'p1', now: T0 + 11_001 });
      expect(again).toMatchObject({ name: a.name, attempt: 2, startedAt: T0 + 1000 });
    });

    it('updates conditionally: wrong state or lease is refused; changes commit with events and files', async () => {
      const a = op({ webhookConfig: { uris: ['http://127.0.0.1:9/a', 'http://127.0.0.1:9/b'] } });
      await store.createOperation(a);
      const [leased] = await lease(store);
      const base = { projectId: 'p1', name: a.name, now: T0 + 2000 };
      expect(await store.updateOperation({ ...base, expect: { states: ['pending'] }, set: {} })).toMatchObject({
        ok: false,
        reason: 'state',
      });
      expect(
        await store.updateOperation({ ...base, expect: { states: ['running'], leaseId: 'lease_x' }, set: {} }),
      ).toMatchObject({ ok: false, reason: 'lease' });
      expect(
        await store.updateOperation({ ...base, name: 'operations/none', expect: { states: ['running'] }, set: {} }),
      ).toEqual({
        ok: false,
        reason: 'not_found',
      });
      const content = new TextEncoder().encode('{"key":"a"}\n');
      const r = await store.updateOperation({
        ...base,
        expect: { states: ['running'], leaseId: leased!.leaseId! },
        set: { state: 'succeeded', result: { ok: 1 }, endedAt: T0 + 2000, releaseLease: true },
        files: [
          {
            file: {
              name: 'files/out1',
              projectId: 'p1',
              displayName: 'out.jsonl',
              mimeType: 'application/jsonl',
              sizeBytes: content.byteLength,
              sha256: 'ab',
              operation: a.name,
              createdAt: T0,
              expireAt: null,
            },
            content,
          },
        ],
        events: (updated) => [
          buildEvent({
            projectId: 'p1',
            type: 'operation.succeeded',
            data: { id: updated.name, state: updated.state },
            now: T0 + 2000,
            target: { kind: 'uris', uris: updated.webhookConfig!.uris! },
            timeScale: 1,
            operation: updated.name,
          }),
        ],
      });
      expect(r).toMatchObject({ ok: true, operation: { state: 'succeeded', leaseId: null, result: { ok: 1 } } });
      const [ev] = await store.listEvents('p1', { afterSequence: 0, pageSize: 10 });
      expect(ev).toMatchObject({ type: 'operation.succeeded', operation: a.name, deliveryCount: 2 });
      expect(JSON.parse(ev!.body).data).toEqual({ id: a.name, state: 'succeeded' });
      expect(await store.getFile('p1', 'files/out1')).toMatchObject({
        operation: a.name,
        sizeBytes: content.byteLength,
      });
      expect(await store.getFileContent('p1', 'files/out1')).toEqual(content);
      expect(await store.getFile('p2', 'files/out1')).toBeUndefined();
      await notified((c) => c.name === a.name && c.state === 'succeeded');
      expect(changes.filter((c) => c.name === a.name).map((c) => c.state)).toEqual(['pending', 'running', 'succeeded']);
    });

    it('a failing event build rolls the state change back', async () => {
      const a = op();
      await store.createOperation(a);
      await expect(
        store.updateOperation({
          projectId: 'p1',
          name: a.name,
          now: T0,
          expect: { states: ['pending'] },
          set: { state: 'cancelled' },
          events: () => {
            throw new Error('boom');
          },
        }),
      ).rejects.toThrow('boom');
      expect((await store.getOperation('p1', a.name))!.state).toBe('pending');
    });

    it('lists newest first with filters and a cursor; deletes with a notification', async () => {
      const ops = [op(), op({ kind: 'other' }), op(), op({ state: 'cancelled' })];
      for (const o of ops) await store.createOperation(o);
      const page = await store.listOperations('p1', { kinds: ['etl'], pageSize: 2 });
      expect(page.map((o) => o.name)).toEqual([ops[3]!.name, ops[2]!.name]);
      const next = await store.listOperations('p1', {
        kinds: ['etl'],
        pageSize: 2,
        before: { createdAt: page[1]!.createdAt, name: page[1]!.name },
      });
      expect(next.map((o) => o.name)).toEqual([ops[0]!.name]);
      expect((await store.listOperations('p1', { states: ['cancelled'], pageSize: 10 })).map((o) => o.name)).toEqual([
        ops[3]!.name,
      ]);
      expect(await store.deleteOperation('p1', ops[0]!.name)).toBe(true);
      expect(await store.deleteOperation('p1', ops[0]!.name)).toBe(false);
      await notified((c) => c.name === ops[0]!.name && c.state === 'deleted');
    });

    it('finds expired work and the next expiry', async () => {
      const soon = op({ expireAt: T0 + 100 });
      const later = op({ expireAt: T0 + 500 });
      const done = op({ expireAt: T0 + 50, state: 'succeeded' });
      for (const o of [soon, later, done]) await store.createOperation(o);
      expect(await store.nextOperationExpiry()).toBe(T0 + 100);
      expect((await store.expiredOperations(T0 + 200, 10)).map((o) => o.name)).toEqual([soon.name]);
    });

    it('stores uploaded files', async () => {
      const content = new Uint8Array([1, 2, 3]);
      await store.createFile(
        {
          name: 'files/up1',
          projectId: 'p1',
          displayName: 'x.bin',
          mimeType: 'application/octet-stream',
          sizeBytes: 3,
          sha256: 'cd',
          operation: null,
          createdAt: T0,
          expireAt: T0 + 1,
        },
        content,
      );
      expect(await store.getFile('p1', 'files/up1')).toMatchObject({ displayName: 'x.bin', operation: null });
      expect(await store.getFileContent('p1', 'files/up1')).toEqual(content);
    });

    it('lists files newest first by keyset pages, per project, and deletes one with its bytes', async () => {
      const file = (name: string, createdAt: number, projectId = 'p1') => ({
        name,
        projectId,
        displayName: name,
        mimeType: 'text/plain',
        sizeBytes: 1,
        sha256: 'ab',
        operation: null,
        createdAt,
        expireAt: null,
      });
      for (const f of [
        file('files/a', T0),
        file('files/b', T0 + 1),
        file('files/c', T0 + 1),
        file('files/x', T0, 'p2'),
      ])
        await store.createFile(f, new Uint8Array([1]));
      const first = await store.listFiles('p1', { limit: 2 });
      expect(first.map((f) => f.name)).toEqual(['files/c', 'files/b']);
      const last = first.at(-1)!;
      const rest = await store.listFiles('p1', { limit: 2, before: { createdAt: last.createdAt, name: last.name } });
      expect(rest.map((f) => f.name)).toEqual(['files/a']);

      expect(await store.deleteFile('p2', 'files/a')).toBe(false); // another project's name
      expect(await store.deleteFile('p1', 'files/a')).toBe(true);
      expect(await store.deleteFile('p1', 'files/a')).toBe(false);
      expect(await store.getFile('p1', 'files/a')).toBeUndefined();
      expect(await store.getFileContent('p1', 'files/a')).toBeUndefined();
      expect((await store.listFiles('p1', { limit: 10 })).map((f) => f.name)).toEqual(['files/c', 'files/b']);
    });
  });
}
