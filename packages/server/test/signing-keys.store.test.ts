import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEvent } from '../src/model/build-event.js';
import type { EventNotice } from '../src/model/event-notice.js';
import type { SigningKeyRecord } from '../src/model/signing-records.js';
import type { Store } from '../src/ports/store.js';
import { testStores } from '../src/testing/test-stores.js';

/**
 * Signing keys, project settings and event notices: behaviour every Store must have. One suite,
 * run against SQLite and (when reachable) PostgreSQL.
 */
const factories = await testStores('signing keys, settings, event notices');

const T0 = 1_800_000_000_000;

const key = (kid: string, alg: SigningKeyRecord['alg'] = 'EdDSA', createdAt = T0): SigningKeyRecord => ({
  kid,
  alg,
  sealedPrivateKey: `sealed-${kid}`,
  publicJwk: { kty: alg === 'EdDSA' ? 'OKP' : 'RSA', kid, alg, use: 'sig' },
  createdAt,
  retiredAt: null,
  expireAt: null,
});

for (const { name, open } of factories) {
  describe(`${name} store: signing keys, settings, event notices`, () => {
    let dir: string;
    let store: Store;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'herald-keys-'));
      store = await open(dir);
      await store.ensureProject({ id: 'p1', name: 'p1', createdAt: T0 });
    });

    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps one active key per algorithm: a second bootstrap returns the first key', async () => {
      expect(await store.activeSigningKey('EdDSA')).toBeUndefined();
      const a = await store.insertSigningKeyIfNone(key('ed-1'));
      const b = await store.insertSigningKeyIfNone(key('ed-2'));
      const r = await store.insertSigningKeyIfNone(key('rsa-1', 'RS256'));
      expect(a.kid).toBe('ed-1');
      expect(b.kid).toBe('ed-1');
      expect(r.kid).toBe('rsa-1');
      expect((await store.activeSigningKey('EdDSA'))?.kid).toBe('ed-1');
      expect((await store.listPublishedSigningKeys(T0)).map((k) => k.kid)).toEqual(['ed-1', 'rsa-1']);
    });

    it('rotates: the old key is retired, published until its expiry, and the new one is active', async () => {
      await store.insertSigningKeyIfNone(key('ed-1'));
      await store.insertSigningKeyIfNone(key('rsa-1', 'RS256'));
      const retired = await store.rotateSigningKey(key('ed-2', 'EdDSA', T0 + 1000), T0 + 60_000);
      expect(retired).toMatchObject({ kid: 'ed-1', retiredAt: T0 + 1000, expireAt: T0 + 60_000 });
      expect((await store.activeSigningKey('EdDSA'))?.kid).toBe('ed-2');

      const published = await store.listPublishedSigningKeys(T0 + 59_999);
      expect(published.map((k) => k.kid)).toEqual(['ed-2', 'rsa-1', 'ed-1']);
      expect(published[0]).toMatchObject({ retiredAt: null, expireAt: null, sealedPrivateKey: 'sealed-ed-2' });
      expect(published[0]!.publicJwk).toEqual({ kty: 'OKP', kid: 'ed-2', alg: 'EdDSA', use: 'sig' });
      expect((await store.listPublishedSigningKeys(T0 + 60_000)).map((k) => k.kid)).toEqual(['ed-2', 'rsa-1']);
    });

    it('rotating an algorithm with no key just inserts one', async () => {
      expect(await store.rotateSigningKey(key('rsa-1', 'RS256'), T0 + 1)).toBeUndefined();
      expect((await store.activeSigningKey('RS256'))?.kid).toBe('rsa-1');
    });

    it('stores the dynamic signing mode (jwt by default) and JWT audience per project', async () => {
      expect(await store.getProjectSettings('p1')).toEqual({ dynamicSigning: 'jwt' });
      expect(await store.updateProjectSettings('p1', { dynamicSigning: 'v1a' })).toEqual({ dynamicSigning: 'v1a' });
      expect(await store.getProjectSettings('p1')).toEqual({ dynamicSigning: 'v1a' });
      expect(await store.updateProjectSettings('p1', {})).toEqual({ dynamicSigning: 'v1a' });
      expect(await store.updateProjectSettings('p1', { dynamicAudience: 'aud-1' })).toStrictEqual({
        dynamicSigning: 'v1a',
        dynamicAudience: 'aud-1',
      });
      expect(await store.updateProjectSettings('p1', { dynamicAudience: null })).toStrictEqual({
        dynamicSigning: 'v1a',
      });
      expect(await store.getProjectSettings('nope')).toBeUndefined();
      expect(await store.updateProjectSettings('nope', { dynamicSigning: 'v1a' })).toBeUndefined();
    });

    it('announces each committed event once, after the commit, and never a duplicate or a failure', async () => {
      const notices: EventNotice[] = [];
      const reads: Promise<number>[] = [];
      const off = store.subscribeEvents((n) => {
        notices.push(n);
        // The event is readable when the notice arrives.
        reads.push(
          store
            .listEvents(n.projectId, { afterSequence: n.sequence - 1, pageSize: 1 })
            .then((rows) => rows[0]?.sequence ?? -1),
        );
      });
      // Resolves once the notice of `sequence` has arrived. Notices come after the commit, in commit
      // order (in process for SQLite, over LISTEN for PostgreSQL), so every earlier one is in by then.
      // Every notice any listener of this test has seen; `announced(s)` resolves once the notice of
      // sequence `s` is among them (registered before the emit, so it cannot be missed).
      const heard: number[] = [];
      const waiters: (() => void)[] = [];
      const offAll = store.subscribeEvents((n) => {
        heard.push(n.sequence);
        for (const w of waiters.splice(0)) w();
      });
      const announced = async (sequence: number) => {
        while (!heard.includes(sequence)) await new Promise<void>((r) => waiters.push(r));
      };
      const ev = (idempotencyKey?: string) =>
        buildEvent({
          projectId: 'p1',
          type: 'job.done',
          data: {},
          now: T0,
          target: { kind: 'subscribers' },
          timeScale: 1,
          ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
        });
      // Sequences grow: 1, 2, 3 on SQLite; large and gapped on PostgreSQL (ADR 0012).
      const s1 = (await store.emitEvent(ev())).event.sequence;
      const s2 = (await store.emitEvent(ev('k1'))).event.sequence;
      expect((await store.emitEvent(ev('k1'))).event.sequence).toBe(s2); // duplicate: nothing appended
      await expect(store.emitEvent({ ...ev(), projectId: 'missing' })).rejects.toThrow(/unknown project/);
      // A third event is the barrier: a notice for the duplicate or the failure would come before it.
      const s3 = (await store.emitEvent(ev())).event.sequence;
      await announced(s3);
      expect(notices).toEqual([
        { projectId: 'p1', sequence: s1 },
        { projectId: 'p1', sequence: s2 },
        { projectId: 'p1', sequence: s3 },
      ]);
      expect(await Promise.all(reads)).toEqual([s1, s2, s3]);
      if (name === 'sqlite') expect([s1, s2, s3]).toEqual([1, 2, 3]);

      off();
      await announced((await store.emitEvent(ev())).event.sequence);
      expect(notices).toHaveLength(3);
      offAll();
    });

    it('a throwing listener does not fail the write', async () => {
      store.subscribeEvents(() => {
        throw new Error('boom');
      });
      const res = await store.emitEvent(
        buildEvent({ projectId: 'p1', type: 'a.b', data: {}, now: T0, target: { kind: 'subscribers' }, timeScale: 1 }),
      );
      expect(res.event.sequence).toBeGreaterThan(0);
      expect((await store.listEvents('p1', { afterSequence: 0, pageSize: 10 })).map((e) => e.id)).toEqual([
        res.event.id,
      ]);
    });
  });
}
