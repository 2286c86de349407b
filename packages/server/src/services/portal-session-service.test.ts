import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import type { Store } from '../ports/store.js';
import { PortalLinkService } from './portal-link-service.js';
import { PORTAL_SESSION_TTL, PortalSessionService } from './portal-session-service.js';

describe('PortalSessionService', () => {
  let dir: string;
  let store: Store;
  let clock: ManualClock;
  let links: PortalLinkService;
  let sessions: PortalSessionService;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-portal-sessions-'));
    store = await openSqliteStore(join(dir, 'herald.db'));
    clock = new ManualClock(1_800_000_000_000);
    await store.ensureProject({ id: 'acme', name: 'Acme', createdAt: clock.now() });
    links = new PortalLinkService({ links: store, projects: store, clock, publicUrl: () => 'http://h' });
    sessions = new PortalSessionService({ sessions: store, links, clock, csrfKey: Buffer.alloc(32, 7) });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exchanges a link once for a 256-bit session secret stored only as its hash', async () => {
    const { token } = await links.create('acme', {});
    const entry = await sessions.enter(token);
    expect(entry.kind).toBe('ok');
    if (entry.kind !== 'ok') return;
    expect(entry.projectId).toBe('acme');
    expect(entry.secret).toMatch(/^ps_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(entry.secret.slice(3), 'base64url')).toHaveLength(32);
    expect(await sessions.enter(token)).toEqual({ kind: 'invalid' });
    const viewer = await sessions.resolve(entry.secret);
    expect(viewer).toMatchObject({ projectId: 'acme', expireAt: clock.now() + PORTAL_SESSION_TTL.idleMs });
    expect(await store.getPortalSession(entry.secret, clock.now())).toBeUndefined();
  });

  it('says expired for an expired link and invalid for unknown or tampered ones', async () => {
    const { token } = await links.create('acme', { ttl: '60s' });
    expect(await sessions.enter(`${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`)).toEqual({
      kind: 'invalid',
    });
    expect(await sessions.enter('hp_nope')).toEqual({ kind: 'invalid' });
    clock.advance(60_000);
    expect(await sessions.enter(token)).toEqual({ kind: 'expired' });
  });

  it('slides the expiry while used, up to the absolute end, then refuses the secret', async () => {
    const { token } = await links.create('acme', {});
    const entry = await sessions.enter(token);
    if (entry.kind !== 'ok') throw new Error('expected ok');
    const start = clock.now();
    clock.advance(PORTAL_SESSION_TTL.idleMs / 4);
    expect((await sessions.resolve(entry.secret))?.expireAt).toBe(start + PORTAL_SESSION_TTL.idleMs);
    clock.advance(PORTAL_SESSION_TTL.idleMs / 2);
    const slid = await sessions.resolve(entry.secret);
    expect(slid?.expireAt).toBe(clock.now() + PORTAL_SESSION_TTL.idleMs);
    while (clock.now() < start + PORTAL_SESSION_TTL.maxMs - PORTAL_SESSION_TTL.idleMs / 2) {
      clock.advance(PORTAL_SESSION_TTL.idleMs * 0.9);
      expect(await sessions.resolve(entry.secret)).toBeDefined();
    }
    clock.advance(start + PORTAL_SESSION_TTL.maxMs - clock.now());
    expect(await sessions.resolve(entry.secret)).toBeUndefined();
  });

  it('expires an idle session after the idle window', async () => {
    const { token } = await links.create('acme', {});
    const entry = await sessions.enter(token);
    if (entry.kind !== 'ok') throw new Error('expected ok');
    clock.advance(PORTAL_SESSION_TTL.idleMs);
    expect(await sessions.resolve(entry.secret)).toBeUndefined();
  });

  it('derives a per-session CSRF token and refuses another session’s', async () => {
    const a = await sessions.enter((await links.create('acme', {})).token);
    const b = await sessions.enter((await links.create('acme', {})).token);
    if (a.kind !== 'ok' || b.kind !== 'ok') throw new Error('expected ok');
    const csrfA = (await sessions.resolve(a.secret))!.csrf;
    const csrfB = (await sessions.resolve(b.secret))!.csrf;
    expect(csrfA).not.toBe(csrfB);
    expect(sessions.checkCsrf(a.secret, csrfA)).toBe(true);
    expect(sessions.checkCsrf(a.secret, csrfB)).toBe(false);
    expect(sessions.checkCsrf(a.secret, undefined)).toBe(false);
    expect(await sessions.resolve('ps_short')).toBeUndefined();
  });

  it('drops expired sessions when a new one is stored', async () => {
    await store.addPortalSession({ hash: 'old', projectId: 'acme', createdAt: 1000, expireAt: 2000 });
    expect(await store.getPortalSession('old', 1500)).toMatchObject({ projectId: 'acme', expireAt: 2000 });
    await store.addPortalSession({ hash: 'new', projectId: 'acme', createdAt: 2000, expireAt: 9000 });
    expect(await store.getPortalSession('old', 1500)).toBeUndefined();
    expect(await store.getPortalSession('new', 2000)).toBeDefined();
  });
});
