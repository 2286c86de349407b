import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { spawnHerald, type SpawnedHerald } from '../src/testing/spawn-herald.js';

/**
 * `herald serve` flags mirror the environment variables, and a flag wins over its variable:
 * here every variable points somewhere else (or is unusable) and the flags must be what Herald uses.
 */
const started: SpawnedHerald[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of started.splice(0)) {
    if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGTERM');
    await h.exited;
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tempDir = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), `herald-flags-${name}-`));
  dirs.push(d);
  return d;
};

it('takes --port, --host, --data-dir, --env, --allow-private-networks, --time-scale and --api-key over the environment', async () => {
  const envDir = tempDir('env');
  const flagDir = tempDir('flag');
  const envKey = 'hk_from_the_environment_000000000000';
  const flagKey = 'hk_from_the_flag_00000000000000000000';
  const h = await spawnHerald(
    {
      HERALD_PORT: '1', // a privileged port: listening there would fail
      HERALD_HOST: '203.0.113.1', // not an address of this machine
      HERALD_DATA_DIR: envDir,
      HERALD_ENV: 'development',
      HERALD_ALLOW_PRIVATE_NETWORKS: '1',
      HERALD_TIME_SCALE: '1',
      HERALD_API_KEY: envKey,
    },
    [
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      flagDir,
      '--env',
      'production',
      '--allow-private-networks',
      '0',
      '--time-scale',
      '3600',
      '--api-key',
      flagKey,
    ],
  );
  started.push(h);
  expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(existsSync(join(flagDir, 'herald.db'))).toBe(true);
  expect(existsSync(join(envDir, 'herald.db'))).toBe(false);

  const call = (key: string, path: string, body: unknown) =>
    fetch(h.url + path, {
      method: 'POST',
      headers: { 'x-goog-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect((await call(envKey, '/v1beta/webhooks', {})).status).toBe(400); // API_KEY_INVALID

  // --env production: plain http and private destinations are refused.
  const refused = await call(flagKey, '/v1beta/webhooks', {
    uri: 'http://127.0.0.1:9/hooks',
    subscribed_events: ['invoice.ready'],
  });
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/https:\/\/ is required/);

  // --allow-private-networks 0 (the environment says 1): a loopback literal is refused even over https.
  const loopback = await call(flagKey, '/v1beta/webhooks', {
    uri: 'https://127.0.0.1:9/hooks',
    subscribed_events: ['invoice.ready'],
  });
  expect(loopback.status).toBe(400);
  expect(((await loopback.json()) as { error: { message: string } }).error.message).toMatch(/loopback address/);

  // --time-scale 3600: the 24 h overlap of a rotation lasts 24 s.
  const created = (await (
    await call(flagKey, '/v1beta/webhooks', {
      uri: 'https://hooks.example.com/herald',
      subscribed_events: ['invoice.ready'],
    })
  ).json()) as { id: string };
  const before = Date.now();
  expect((await call(flagKey, `/v1beta/webhooks/${created.id}:rotateSigningSecret`, {})).status).toBe(200);
  const got = (await (
    await fetch(`${h.url}/v1beta/webhooks/${created.id}`, { headers: { 'x-goog-api-key': flagKey } })
  ).json()) as { signing_secrets: { expire_time?: string }[] };
  const overlap = Date.parse(got.signing_secrets[1]!.expire_time!) - before;
  expect(overlap).toBeGreaterThan(23_000);
  expect(overlap).toBeLessThan(26_000);
}, 60_000);
