import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../../server/src/testing/test-herald.js';
import { BUILD_TIMEOUT_MS, buildCli, cliFor, json, runCli } from './helpers/cli.js';

interface KeyJson {
  id: string;
  name: string;
  prefix: string;
  create_time: string;
  revoke_time?: string;
  key?: string;
}

let herald: TestHerald;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  await buildCli();
  herald = await startTestHerald();
  cli = cliFor(herald);
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await herald?.close();
});

const withKey = (key: string) => (args: string[]) => runCli(['--url', herald.url, '--api-key', key, ...args]);

describe('herald keys', () => {
  it('create prints the key once; the key works; list shows metadata only', async () => {
    const r = await cli(['keys', 'create', '--name', 'ci']);
    expect(r.code).toBe(0);
    const key = /API key {2}(hk_\w+)/.exec(r.stdout)?.[1];
    expect(key).toMatch(/^hk_[0-9A-Za-z]{32}$/);
    expect(r.stdout).toMatch(/^Created API key key_\w+ \(ci\)\n/);
    expect(r.stderr).toMatch(/shown only this once/);

    const list = await withKey(key!)(['keys', 'list']);
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+PREFIX\s+STATE\s+CREATED\s+REVOKED$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(1, 4))).toEqual([
      ['default', `${herald.apiKey.slice(0, 7)}…`, 'active'],
      ['ci', `${key!.slice(0, 7)}…`, 'active'],
    ]);
    expect(list.stdout).not.toContain(key!.slice(7));

    const asJson = json<{ api_keys: KeyJson[] }>(await cli(['keys', 'list', '--json']));
    expect(asJson.api_keys.every((k) => k.key === undefined)).toBe(true);
  });

  it('revoke cuts a key off; the key in use is refused without --force', async () => {
    const created = json<KeyJson>(await cli(['keys', 'create', '--name', 'temp', '--json']));
    expect(Object.keys(created).sort()).toEqual(['create_time', 'id', 'key', 'name', 'prefix']);
    const temp = withKey(created.key!);

    const self = await temp(['keys', 'revoke', created.id]);
    expect(self.code).toBe(1);
    expect(self.stderr).toBe(
      `herald: ${created.id} is the key this command runs with: revoking it would lock you out. ` +
        'Run the command with another key (--api-key), or add --force if that is what you want\n',
    );

    const r = await cli(['keys', 'revoke', created.id]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Revoked API key ${created.id} \\(temp\\)\\n`));
    const denied = await temp(['webhooks', 'list']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/API key not valid.*HTTP 400 INVALID_ARGUMENT/);

    const list = json<{ api_keys: KeyJson[] }>(await cli(['keys', 'list', '--json']));
    expect(list.api_keys.find((k) => k.id === created.id)?.revoke_time).toMatch(/Z$/);

    const forced = json<KeyJson>(await cli(['keys', 'create', '--json']));
    const gone = await withKey(forced.key!)(['keys', 'revoke', forced.id, '--force', '--json']);
    expect(gone.code).toBe(0);
    expect(json<KeyJson>(gone).revoke_time).toBeDefined();

    const missing = await cli(['keys', 'revoke', 'key_nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('herald: API key "key_nope" not found (HTTP 404 NOT_FOUND)\n');
  });
});
