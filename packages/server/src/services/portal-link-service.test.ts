import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import type { Store } from '../ports/store.js';
import { parseLinkTtl, PortalLinkService } from './portal-link-service.js';

describe('PortalLinkService', () => {
  let dir: string;
  let store: Store;
  let clock: ManualClock;
  let links: PortalLinkService;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-portal-links-'));
    store = await openSqliteStore(join(dir, 'herald.db'));
    clock = new ManualClock(1_800_000_000_000);
    await store.ensureProject({ id: 'acme', name: 'Acme', createdAt: clock.now() });
    links = new PortalLinkService({
      links: store,
      projects: store,
      clock,
      publicUrl: () => 'https://hooks.example.com/',
    });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('mints an absolute one-time link under the public URL that opens once', async () => {
    const { url, token, expireAt } = await links.create('acme', { ttl: '600s' });
    expect(url).toBe(`https://hooks.example.com/portal/enter?token=${token}`);
    expect(token).toMatch(/^hp_[0-9A-Za-z]{43}$/);
    expect(expireAt - clock.now()).toBe(600_000);
    expect(await links.use(token)).toEqual({ kind: 'ok', projectId: 'acme' });
    expect(await links.use(token)).toEqual({ kind: 'used', projectId: 'acme' });
  });

  it('says a link expired once its time has passed, and does not know a tampered one', async () => {
    const { token } = await links.create('acme', {});
    clock.advance(3_600_000);
    expect(await links.use(token)).toEqual({ kind: 'expired', projectId: 'acme' });
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(await links.use(tampered)).toEqual({ kind: 'unknown' });
    expect(await links.use('not-a-token')).toEqual({ kind: 'unknown' });
  });

  it('refuses an unknown project and a ttl outside 60s..86400s, naming the format', async () => {
    await expect(links.create('nobody', {})).rejects.toThrow('project "nobody" not found');
    for (const bad of ['59s', '86401s', '1h', '-5s', '']) expect(() => parseLinkTtl(bad)).toThrow(/"3600s"/);
    expect(parseLinkTtl('90.5s')).toBe(90_500);
  });
});
