import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnHerald, type SpawnedHerald } from '../src/testing/spawn-herald.js';

/**
 * The banner `herald serve` prints once it listens, per role: every role prints the `Health` line
 * that scripts (and `spawnHerald`) find the URL in; a worker, which serves no API, prints no API
 * URL and no `curl` examples that would answer 404.
 */
const started: { h: SpawnedHerald; dir: string }[] = [];

afterEach(async () => {
  for (const { h, dir } of started.splice(0)) {
    if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGTERM');
    await h.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});

async function serve(role: string): Promise<SpawnedHerald> {
  const dir = mkdtempSync(join(tmpdir(), `herald-banner-${role}-`));
  const h = await spawnHerald({ HERALD_ROLE: role, HERALD_DATA_DIR: dir });
  started.push({ h, dir });
  return h;
}

describe('herald serve banner', () => {
  it('a worker says what it is and where to watch it, with no API line or curl examples', async () => {
    const h = await serve('worker');
    const out = h.output();
    expect(out).toContain('Herald worker is running');
    expect(out).toMatch(/Role\s+worker: delivery engine/);
    expect(out).toContain(`Health     ${h.url}/healthz   (readiness ${h.url}/readyz)`);
    expect(out).toContain(`Metrics    ${h.url}/metrics`);
    expect(out).toContain(`Database   SQLite in `);
    expect(out).not.toMatch(/API\s+http|v1beta|curl|Dashboard|API key/);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.url}/v1beta/webhooks`)).status).toBe(404);
  }, 60_000);

  it('the API banner keeps its API, dashboard, key and curl lines, and adds the Health line', async () => {
    const h = await serve('all');
    const out = h.output();
    expect(out).toContain('Herald is running');
    expect(out).toContain(`API        ${h.url}/v1beta   (also ${h.url}/v1)`);
    expect(out).toContain(`Dashboard  ${h.url}/`);
    expect(out).toContain(`Health     ${h.url}/healthz`);
    expect(out).toMatch(/API key {4}hk_/);
    expect(out).toContain(`curl -s ${h.url}/v1beta/events`);
  }, 60_000);
});
