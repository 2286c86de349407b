import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../ports/store.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import { ManualClock } from '../testing/manual-clock.js';
import { KeyStreams } from './key-streams.js';

let dir: string;
let store: Store;
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function setup() {
  dir = mkdtempSync(join(tmpdir(), 'herald-key-streams-'));
  store = await openSqliteStore(join(dir, 'herald.db'));
  await store.ensureProject({ id: 'p', name: 'p', createdAt: 1 });
  for (const id of ['k1', 'k2'])
    await store.addApiKey(
      { id, projectId: 'p', name: id, prefix: 'hk_xxxx', createdAt: 1, revokedAt: null },
      `hash-${id}`,
    );
  const clock = new ManualClock(0);
  return { clock, streams: new KeyStreams({ store, clock, recheckMs: 1000 }) };
}

describe('KeyStreams', () => {
  it('revoked() ends the streams of that key only', async () => {
    const { streams } = await setup();
    const closed: string[] = [];
    streams.track('p', 'k1', () => closed.push('a'));
    streams.track('p', 'k1', () => closed.push('b'));
    streams.track('p', 'k2', () => closed.push('c'));
    streams.revoked('k1');
    expect(closed).toEqual(['a', 'b']);
    expect(streams.size).toBe(1);
    streams.stop();
  });

  it('a key revoked elsewhere (in the store) ends its streams at the next re-check', async () => {
    const { streams, clock } = await setup();
    const closed: string[] = [];
    streams.track('p', 'k1', () => closed.push('k1'));
    const untrack = streams.track('p', 'k2', () => closed.push('k2'));
    await store.revokeApiKey('p', 'k2', 5);
    clock.advance(999);
    expect(closed).toEqual([]);
    clock.advance(1);
    await expect.poll(() => closed).toEqual(['k2']);
    untrack();
    await store.revokeApiKey('p', 'k1', 6);
    clock.advance(1000);
    await expect.poll(() => closed).toEqual(['k2', 'k1']);
    expect(streams.size).toBe(0);
    streams.stop();
  });

  it('an untracked stream is not ended', async () => {
    const { streams } = await setup();
    const closed: string[] = [];
    const untrack = streams.track('p', 'k1', () => closed.push('k1'));
    untrack();
    streams.revoked('k1');
    expect(closed).toEqual([]);
    streams.stop();
  });

  it("an admin key's stream on a project stays open at re-checks, and ends when the admin key is revoked", async () => {
    const { streams, clock } = await setup();
    await store.addAdminKey({ id: 'adm_1', name: 'a', prefix: 'ha_xxxx', createdAt: 1, revokedAt: null }, 'hash-adm');
    const closed: string[] = [];
    streams.track('p', 'adm_1', () => closed.push('admin'), true);
    clock.advance(1000);
    await store.listAdminKeys(); // let the re-check's reads settle
    clock.advance(1000);
    await new Promise((r) => setImmediate(r));
    expect(closed).toEqual([]);
    expect(streams.size).toBe(1);
    await store.revokeAdminKey('adm_1', 5);
    clock.advance(1000);
    await expect.poll(() => closed).toEqual(['admin']);
    streams.stop();
  });
});
