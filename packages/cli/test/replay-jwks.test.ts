import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../server/src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../../server/src/testing/test-herald.js';
import { BUILD_TIMEOUT_MS, buildCli, cliFor, json, runCli } from './helpers/cli.js';

let herald: TestHerald;
let rx: Receiver;
let cli: ReturnType<typeof cliFor>;
let admin: ReturnType<typeof cliFor>;

beforeAll(async () => {
  await buildCli();
  herald = await startTestHerald();
  rx = await startReceiver(() => ({ status: 410 }));
  cli = cliFor(herald);
  admin = (args, opts) => runCli(['--url', herald.url, '--admin-key', herald.adminKey, ...args], opts);
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await rx?.close();
  await herald?.close();
});

describe('herald replay', () => {
  it('re-sends the failed deliveries since a time, with the same webhook-id', async () => {
    const wh = await herald.api<{ id: string }>('POST', '/v1beta/webhooks', {
      uri: rx.url,
      subscribed_events: ['invoice.ready'],
    });
    // 410 Gone: the delivery fails at once and Herald disables the webhook.
    const ev = await herald.api<{ message_id: string }>('POST', '/v1beta/events', {
      type: 'invoice.ready',
      data: { id: 'inv_1' },
    });
    await herald.waitForAttempts(1);

    const refused = await cli(['replay', '--webhook', wh.body.id, '--since', '10m']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/enable it .*\(HTTP 400 FAILED_PRECONDITION\)/);

    rx.respond = () => ({ status: 200, body: 'ok' });
    await herald.api('PATCH', `/v1beta/webhooks/${wh.body.id}`, { state: 'enabled' });
    const r = await cli(['replay', '--webhook', wh.body.id, '--since', '10m']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^Replayed 1 delivery to webhook ${wh.body.id} since \\S+ \\S+Z \\(1 attempted again, 0 never sent before\\)\\n$`,
      ),
    );
    const [, again] = await rx.waitFor(2);
    expect(again!.headers['webhook-id']).toBe(ev.body.message_id);

    const none = await cli(['replay', '--webhook', wh.body.id, '--since', '10m', '--json']);
    expect(json(none)).toEqual({ replayed: 0, requeued: 0, created: 0, truncated: false });
    const all = await cli(['replay', '--webhook', wh.body.id, '--since', '10m', '--all', '--json']);
    expect(json(all)).toMatchObject({ replayed: 1, requeued: 1 });
  });

  it('bad times exit 2 before anything is sent', async () => {
    const r = await cli(['replay', '--webhook', 'x', '--since', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected a time such as/);
    const missing = await cli(['replay', '--since', '1h']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--webhook <id>/);
  });
});

describe('herald jwks', () => {
  it('show prints the public JWKS without an API key; rotate replaces the active keys', async () => {
    const shown = await runCli(['--url', herald.url, 'jwks', 'show', '--json']);
    expect(shown.code).toBe(0);
    const before = json<{ keys: { kid: string; alg: string }[] }>(shown);
    expect(before.keys.map((k) => k.alg).sort()).toEqual(['EdDSA', 'RS256']);
    const table = await runCli(['--url', herald.url, 'jwks', 'show']);
    expect(table.stdout.split('\n')[0]).toMatch(/^KID\s+KTY\s+ALG\s+USE$/);
    expect(table.stdout).toMatch(/OKP \(Ed25519\)\s+EdDSA\s+sig/);

    // Rotation changes what every project's receivers verify: the admin key only.
    const denied = await cli(['jwks', 'rotate', '--alg', 'EdDSA']);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/^herald: no admin key/);
    const projectKey = await runCli(['--url', herald.url, '--admin-key', herald.apiKey, 'jwks', 'rotate']);
    expect(projectKey.code).toBe(1);
    expect(projectKey.stderr).toMatch(/\(HTTP 403 PERMISSION_DENIED\)\nhint: this needs the admin key/);
    const rotated = await admin(['jwks', 'rotate', '--alg', 'EdDSA']);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/^Rotated EdDSA: new keys sign from now on\n/);
    expect(rotated.stdout).toMatch(/EdDSA\s+active/);
    expect(rotated.stdout).toMatch(/EdDSA\s+retired/);

    const after = json<{ keys: { kid: string; alg: string }[] }>(
      await runCli(['--url', herald.url, 'jwks', 'show', '--json']),
    );
    const ed = (k: { keys: { kid: string; alg: string }[] }) =>
      k.keys.filter((x) => x.alg === 'EdDSA').map((x) => x.kid);
    // The retired key stays published next to the new one.
    expect(ed(after)).toHaveLength(2);
    expect(ed(after)).toEqual(expect.arrayContaining(ed(before)));

    const list = json<{ signing_keys: { alg: string; state: string }[] }>(await cli(['jwks', 'list', '--json']));
    expect(
      list.signing_keys
        .filter((k) => k.alg === 'EdDSA')
        .map((k) => k.state)
        .sort(),
    ).toEqual(['active', 'retired']);

    const rotatedJson = json<{ signing_keys: { alg: string; state: string }[] }>(
      await admin(['jwks', 'rotate', '--alg', 'RS256', '--json']),
    );
    expect(rotatedJson.signing_keys.filter((k) => k.alg === 'RS256').map((k) => k.state)).toEqual(
      expect.arrayContaining(['active', 'retired']),
    );

    const bad = await admin(['jwks', 'rotate', '--alg', 'HS256']);
    expect(bad.code).toBe(2);
  });
});
