import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { spawnHerald, type SpawnedHerald } from '../src/testing/spawn-herald.js';

/**
 * SIGTERM and SIGINT drain: an attempt in flight when the signal arrives is finished and recorded
 * before the process exits with 0, so nothing is left leased for a restart to send again.
 */
const API_KEY = 'hk_shutdowntestkey0000000000000000000';
const cleanup: { h?: SpawnedHerald; rx?: Receiver; dir: string }[] = [];

afterEach(async () => {
  for (const c of cleanup.splice(0)) {
    if (c.h && c.h.child.exitCode === null && c.h.child.signalCode === null) c.h.child.kill('SIGKILL');
    await c.h?.exited;
    await c.rx?.close();
    rmSync(c.dir, { recursive: true, force: true });
  }
});

async function call(base: string, path: string, body: unknown) {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'x-goog-api-key': API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe('graceful shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s waits for the attempt in flight, records it, and exits 0',
    async (signal) => {
      const DELAY_MS = 1500;
      const dir = mkdtempSync(join(tmpdir(), 'herald-shutdown-'));
      const entry: (typeof cleanup)[number] = { dir };
      cleanup.push(entry);
      entry.rx = await startReceiver(() => ({ status: 200, body: 'late but fine', delayMs: DELAY_MS }));
      const rx = entry.rx;
      entry.h = await spawnHerald({ HERALD_DATA_DIR: dir, HERALD_API_KEY: API_KEY });
      const h = entry.h;

      await call(h.url, '/v1beta/webhooks', { uri: rx.url, subscribed_events: ['job.done'] });
      const ev = await call(h.url, '/v1beta/events', { type: 'job.done', data: { n: 1 } });
      await rx.waitFor(1); // the attempt is in flight: the receiver holds its answer for DELAY_MS
      const signalledAt = Date.now();
      h.child.kill(signal);
      expect(await h.exited).toBe(0);
      // It waited for the answer instead of cutting the attempt off.
      expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(DELAY_MS - 200);

      const db = new Database(join(dir, 'herald.db'), { readonly: true });
      try {
        const deliveries = db
          .prepare<[string], { status: string; attempt_count: number; lease_owner: string | null }>(
            'SELECT status, attempt_count, lease_owner FROM deliveries WHERE message_id = ?',
          )
          .all(String(ev.message_id));
        expect(deliveries).toEqual([{ status: 'succeeded', attempt_count: 1, lease_owner: null }]);
        const attempts = db
          .prepare<[], { status_code: number; response_excerpt: string }>(
            'SELECT status_code, response_excerpt FROM attempts',
          )
          .all();
        expect(attempts).toEqual([{ status_code: 200, response_excerpt: 'late but fine' }]);
      } finally {
        db.close();
      }
      expect(rx.requests).toHaveLength(1);
    },
    60_000,
  );
});
