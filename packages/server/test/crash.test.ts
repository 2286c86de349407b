import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../src/testing/receiver.js';
import { spawnHerald, type SpawnedHerald } from '../src/testing/spawn-herald.js';

const API_KEY = 'hk_crashtestkey000000000000000000000';
const dataDir = mkdtempSync(join(tmpdir(), 'herald-crash-'));
const running: SpawnedHerald[] = [];

afterAll(async () => {
  for (const h of running) {
    h.child.kill('SIGKILL');
    await h.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { 'x-goog-api-key': API_KEY, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('crash safety', () => {
  it('SIGKILL with hundreds of deliveries pending or in flight loses none', async () => {
    const TOTAL = 300;
    // The receiver answers the first 20 deliveries, then holds every request open, so when the
    // process dies some deliveries are in flight (leased, mid-attempt) and the rest pending.
    let holding = true;
    const rx = await startReceiver((_r, i) => (holding && i >= 20 ? 'hang' : { status: 200 }));
    const env = { HERALD_DATA_DIR: dataDir, HERALD_API_KEY: API_KEY };
    const first = await spawnHerald(env);
    running.push(first);
    await call(first.url, 'POST', '/v1beta/webhooks', { uri: rx.url, subscribed_events: ['job.done'] });
    const emitted = new Set<string>();
    for (let i = 0; i < TOTAL; i++) {
      const ev = await call(first.url, 'POST', '/v1beta/events', { type: 'job.done', data: { n: i } });
      emitted.add(ev.message_id as string);
    }
    await rx.waitFor(30);
    first.child.kill('SIGKILL');
    await first.exited;
    holding = false;
    const before = new Set(rx.requests.map((r) => r.headers['webhook-id']));
    expect(before.size).toBeLessThan(TOTAL);

    const second = await spawnHerald(env);
    running.push(second);
    for (;;) {
      await rx.waitFor(rx.requests.length + 1);
      const unique = new Set(rx.requests.map((r) => String(r.headers['webhook-id'])));
      if ([...emitted].every((id) => unique.has(id))) break;
    }
    const unique = new Set(rx.requests.map((r) => String(r.headers['webhook-id'])));
    expect(unique.size).toBe(TOTAL);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    await rx.close();
  }, 90_000);
});
