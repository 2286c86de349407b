import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventsOf } from '../src/testing/operation-helpers.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { spawnHerald, type SpawnedHerald } from '../src/testing/spawn-herald.js';

const API_KEY = 'hk_opscrashtestkey0000000000000000000';
const dataDir = mkdtempSync(join(tmpdir(), 'herald-ops-crash-'));
const running: SpawnedHerald[] = [];
const receivers: Receiver[] = [];

afterAll(async () => {
  for (const h of running) {
    h.child.kill('SIGKILL');
    await h.exited;
  }
  for (const r of receivers) await r.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<T = Record<string, unknown>>(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { 'x-goog-api-key': API_KEY, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as T;
}

type Expected = { type: string; id: string; at: Receiver };
const seen = (rx: Receiver) => new Set(eventsOf(rx.requests).map((e) => `${e.type} ${String(e.data.id)}`));

describe('crash safety of operations', () => {
  it('SIGKILL while operations run and deliveries are pending: all finish, every terminal event arrives', async () => {
    // Slow receivers keep deliveries in flight when the process dies.
    const staticRx = await startReceiver(() => ({ status: 200, delayMs: 30 }));
    const dynRx = await startReceiver(() => ({ status: 200, delayMs: 30 }));
    receivers.push(staticRx, dynRx);
    const env = {
      HERALD_DATA_DIR: dataDir,
      HERALD_API_KEY: API_KEY,
      HERALD_SIM_BATCH_MS: '3000',
      HERALD_SIM_VIDEO_MS: '3000',
      HERALD_SIM_INTERACTION_MS: '200',
    };
    const first = await spawnHerald(env);
    running.push(first);
    await call(first.url, 'POST', '/v1beta/webhooks', {
      uri: staticRx.url,
      subscribed_events: ['batch.succeeded', 'batch.failed', 'interaction.completed', 'video.generated'],
    });

    const batches: { name: string; dynamic: boolean; fail: boolean }[] = [];
    for (let i = 0; i < 8; i++) {
      const dynamic = i % 2 === 0;
      const fail = i % 4 === 3;
      const b = await call<{ name: string }>(
        first.url,
        'POST',
        '/v1beta/models/gemini-2.5-flash:batchGenerateContent',
        {
          batch: {
            display_name: `b${i}${fail ? ' [fail]' : ''}`,
            input_config: { requests: { requests: [{ request: { contents: [{ parts: [{ text: `q${i}` }] }] } }] } },
            ...(dynamic ? { webhookConfig: { uris: [dynRx.url], userMetadata: { i } } } : {}),
          },
        },
      );
      batches.push({ name: b.name, dynamic, fail });
    }
    const videos: string[] = [];
    for (let i = 0; i < 3; i++) {
      const v = await call<{ name: string }>(
        first.url,
        'POST',
        '/v1beta/models/veo-3.1-generate-preview:predictLongRunning',
        {
          instances: [{ prompt: `clip ${i}` }],
        },
      );
      videos.push(v.name);
    }
    const interactions: string[] = [];
    for (let i = 0; i < 6; i++) {
      const it = await call<{ id: string }>(first.url, 'POST', '/v1beta/interactions', {
        model: 'gemini-3-flash-preview',
        input: `hello ${i}`,
        background: true,
      });
      interactions.push(it.id);
    }

    // Interactions finish first; batches and videos are still running when the process dies.
    await staticRx.waitFor(1);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await spawnHerald(env);
    running.push(second);
    const final = new Map<string, string>();
    for (const name of [...batches.map((b) => b.name), ...videos, ...interactions.map((id) => `interactions/${id}`)]) {
      for (;;) {
        const op = await call<{ done?: boolean; status?: string; metadata?: { state: string } }>(
          second.url,
          'GET',
          `/v1beta/${name}?wait=60s`,
        );
        const state = op.metadata?.state ?? op.status ?? (op.done ? 'done' : undefined);
        if (op.done === true || (op.status !== undefined && op.status !== 'in_progress')) {
          final.set(name, state ?? 'done');
          break;
        }
      }
    }
    for (const b of batches) expect(final.get(b.name)).toBe(b.fail ? 'BATCH_STATE_FAILED' : 'BATCH_STATE_SUCCEEDED');
    for (const id of interactions) expect(final.get(`interactions/${id}`)).toBe('completed');
    // They were running when the process died: the new process leased them again and ran them.
    const listed = await call<{ operations: { name: string; attempt: number }[] }>(
      second.url,
      'GET',
      '/v1beta/operations?kind=gemini.batch,gemini.video&page_size=100',
    );
    expect(listed.operations).toHaveLength(batches.length + videos.length);
    for (const op of listed.operations) expect(op.attempt).toBe(2);

    const expected: Expected[] = [
      ...batches.map((b) => ({
        type: b.fail ? 'batch.failed' : 'batch.succeeded',
        id: b.name,
        at: b.dynamic ? dynRx : staticRx,
      })),
      ...videos.map((v) => ({ type: 'video.generated', id: v, at: staticRx })),
      ...interactions.map((id) => ({ type: 'interaction.completed', id, at: staticRx })),
    ];
    const missing = () => expected.filter((e) => !seen(e.at).has(`${e.type} ${e.id}`));
    while (missing().length > 0) {
      const rx = missing()[0]!.at;
      await rx.waitFor(rx.requests.length + 1);
    }
    // Dynamic URIs replaced the static webhooks for their batches: the static receiver never saw them.
    for (const b of batches.filter((x) => x.dynamic)) {
      expect([...seen(staticRx)].some((k) => k.endsWith(` ${b.name}`))).toBe(false);
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);
});
