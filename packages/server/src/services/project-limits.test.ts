import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import type { Store } from '../ports/store.js';
import { ProjectLimits } from './project-limits.js';

describe('ProjectLimits', () => {
  let dir: string;
  let store: Store;
  let clock: ManualClock;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-project-limits-'));
    store = await openSqliteStore(join(dir, 'herald.db'));
    clock = new ManualClock(1_800_000_000_000);
    await store.ensureProject({ id: 'acme', name: 'Acme', createdAt: clock.now() });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the defaults until the project sets its own, and a PATCH applies once the TTL passes', async () => {
    const limits = new ProjectLimits({
      store,
      clock,
      defaults: { eventsPerSecond: 0, maxWebhooks: 1000 },
      ttlMs: 5_000,
    });
    expect(await limits.get('acme')).toEqual({
      eventsPerSecond: 0,
      maxWebhooks: 1000,
      source: { eventsPerSecond: 'default', maxWebhooks: 'default' },
    });
    await store.updateProject('acme', { limits: { eventsPerSecond: 50 } });
    clock.advance(4_999);
    expect((await limits.get('acme')).eventsPerSecond).toBe(0); // still cached
    clock.advance(1);
    const fresh = await limits.get('acme');
    expect(fresh.eventsPerSecond).toBe(50);
    expect(fresh.source.eventsPerSecond).toBe('project');
    expect(fresh.maxWebhooks).toBe(1000);
  });

  it('remembers at most maxProjects projects', async () => {
    const limits = new ProjectLimits({
      store,
      clock,
      defaults: { eventsPerSecond: 0, maxWebhooks: 1000 },
      maxProjects: 50,
    });
    for (let i = 0; i < 500; i++) await limits.get(`p-${i}`); // unknown projects get the defaults
    expect(limits.cached).toBe(50);
  });
});
