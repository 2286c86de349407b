import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../../server/src/testing/test-herald.js';
import { BUILD_TIMEOUT_MS, buildCli, json, runCli, tempDir, type CliResult } from './helpers/cli.js';

let herald: TestHerald;

beforeAll(async () => {
  await buildCli();
  herald = await startTestHerald();
  await herald.api('POST', '/v1beta/webhooks', {
    uri: 'http://127.0.0.1:9/hook',
    subscribed_events: ['invoice.ready'],
  });
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await herald?.close();
});

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('connection errors', () => {
  it('a server that is not running: exit 1 and what to do', async () => {
    const port = await closedPort();
    const r = await runCli(['--url', `http://127.0.0.1:${port}`, '--api-key', 'k', 'webhooks', 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `herald: cannot reach Herald at http://127.0.0.1:${port} (ECONNREFUSED): is \`herald serve\` running? set --url or HERALD_URL\n`,
    );
    expect(r.stdout).toBe('');
  });

  it('no API key anywhere: exit 2 naming the three ways to give one', async () => {
    const r = await runCli(['--url', herald.url, 'webhooks', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^herald: no API key: pass --api-key, set HERALD_API_KEY, or run `herald login --api-key <key>`/,
    );
  });

  it('a wrong key: exit 1 with the server message and where the key came from', async () => {
    const r = await runCli(['--url', herald.url, 'webhooks', 'list'], { env: { HERALD_API_KEY: 'hk_wrong' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^herald: API key not valid.*\(HTTP 400 INVALID_ARGUMENT\)\nhint: the key came from HERALD_API_KEY; /,
    );
  });

  it('a URL that is not http(s): exit 2', async () => {
    const r = await runCli(['--url', 'localhost:8080', '--api-key', 'k', 'webhooks', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('herald: --url must be an http(s) URL such as http://127.0.0.1:8080, got "localhost:8080"\n');
  });

  it('finds the key `herald serve` saved in its data directory when none is given', async () => {
    const r = await runCli(['--url', herald.url, 'webhooks', 'list', '--json'], {
      env: { HERALD_DATA_DIR: herald.dataDir },
    });
    expect(r.code).toBe(0);
    expect(json<{ webhooks: unknown[] }>(r).webhooks).toHaveLength(1);
  });
});

describe('herald login / logout', () => {
  it('checks and saves the URL and key (0600); flags > env > config file afterwards', async () => {
    const config = tempDir('config-');
    const env = { XDG_CONFIG_HOME: config };
    const file = join(config, 'herald', 'config.json');

    const bad = await runCli(['login', '--url', herald.url, '--api-key', 'hk_wrong'], { env });
    expect(bad.code).toBe(1);
    expect(existsSync(file)).toBe(false);

    const ok = await runCli(['login', '--url', herald.url, '--api-key', herald.apiKey], { env });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`Logged in to ${herald.url}`);
    expect(ok.stdout).not.toContain(herald.apiKey);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ url: herald.url, api_key: herald.apiKey });

    // The config file alone is enough…
    expect((await runCli(['webhooks', 'list', '--json'], { env })).code).toBe(0);
    // …the environment wins over it…
    const envWins = await runCli(['webhooks', 'list'], { env: { ...env, HERALD_API_KEY: 'hk_wrong' } });
    expect(envWins.code).toBe(1);
    expect(envWins.stderr).toMatch(/API key not valid/);
    // …and a flag wins over the environment.
    const flagWins = await runCli(['webhooks', 'list', '--api-key', herald.apiKey], {
      env: { ...env, HERALD_API_KEY: 'hk_wrong' },
    });
    expect(flagWins.code).toBe(0);

    const out = await runCli(['logout', '--json'], { env });
    expect(json(out)).toEqual({ config_path: file, removed: true });
    expect(existsSync(file)).toBe(false);
    const again = await runCli(['logout'], { env });
    expect(again.stdout).toMatch(/Nothing to remove/);
  });

  it('--admin-key is checked and saved too; admin commands then need no flag', async () => {
    const config = tempDir('config-');
    const env = { XDG_CONFIG_HOME: config };
    const file = join(config, 'herald', 'config.json');
    const bad = await runCli(['login', '--url', herald.url, '--admin-key', herald.apiKey], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/needs the admin key/);
    expect(existsSync(file)).toBe(false);

    const ok = await runCli(
      ['login', '--url', herald.url, '--api-key', herald.apiKey, '--admin-key', herald.adminKey],
      {
        env,
      },
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Saved the URL and key hk_\S+ and admin key ha_\S+ in /);
    expect(ok.stdout).not.toContain(herald.adminKey);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      url: herald.url,
      api_key: herald.apiKey,
      admin_key: herald.adminKey,
    });
    const projects = await runCli(['projects', 'get', 'default', '--json'], { env });
    expect(json<{ id: string }>(projects).id).toBe('default');
    expect((await runCli(['webhooks', 'list', '--json'], { env })).code).toBe(0);
  });

  it('--no-check saves without a server; a missing key is a usage error', async () => {
    const env = { XDG_CONFIG_HOME: tempDir('config-') };
    const port = await closedPort();
    const saved = await runCli(
      ['login', '--url', `http://127.0.0.1:${port}`, '--api-key', 'k', '--no-check', '--json'],
      { env },
    );
    expect(saved.code).toBe(0);
    expect(json(saved)).toMatchObject({ url: `http://127.0.0.1:${port}` });
    const noKey = await runCli(['login', '--url', herald.url], { env });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/herald login needs --api-key/);
  });
});

describe('output conventions', () => {
  const args = () => ['--url', herald.url, '--api-key', herald.apiKey, 'webhooks', 'list'];

  it('colours only when asked for, never with --json, --no-color or NO_COLOR', async () => {
    const forced = await runCli(args(), { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[');
    for (const r of [
      await runCli([...args(), '--json'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }),
      await runCli([...args(), '--no-color'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }),
      await runCli(args(), { env: { NO_COLOR: '1', FORCE_COLOR: undefined } }),
    ]) {
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('\u001b[');
    }
  });

  it('global options work before or after the subcommand; --version and --help exit 0', async () => {
    const before = await runCli(['--json', '--url', herald.url, '--api-key', herald.apiKey, 'webhooks', 'list']);
    expect(json<{ webhooks: unknown[] }>(before).webhooks).toHaveLength(1);
    const version = await runCli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit status: 0 success, 1 failure .*, 2 usage error/);
    for (const group of ['webhooks', 'events', 'deliveries']) {
      const r = await runCli([group, '--help']);
      expect(r.code, group).toBe(0);
      expect(r.stdout, group).toMatch(/Examples:\n {2}\$ herald /);
    }
  });

  it('every command has --help with examples (exit 0); an unknown command or option exits 2', async () => {
    const commands = [
      'serve',
      ...['create', 'list', 'get', 'update', 'delete', 'rotate', 'ping'].map((c) => `webhooks ${c}`),
      ...['list', 'get', 'watch', 'cancel'].map((c) => `ops ${c}`),
      ...['list', 'get', 'emit', 'tail'].map((c) => `events ${c}`),
      ...['list', 'get', 'retry'].map((c) => `deliveries ${c}`),
      'replay',
      ...['create', 'list', 'revoke'].map((c) => `keys ${c}`),
      ...['show', 'list', 'rotate'].map((c) => `jwks ${c}`),
      ...['create', 'list', 'get', 'update', 'delete', 'keys create'].map((c) => `projects ${c}`),
      'portal',
      'listen',
      'verify',
      'demo',
      'login',
      'logout',
    ];
    const results: [string, CliResult][] = [];
    // Four at a time: each is a node process.
    for (let i = 0; i < commands.length; i += 4) {
      const batch = commands.slice(i, i + 4);
      const rs = await Promise.all(batch.map((c) => runCli([...c.split(' '), '--help'])));
      results.push(...batch.map((c, j): [string, CliResult] => [c, rs[j]!]));
    }
    for (const [command, r] of results) {
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toContain(`Usage: herald ${command}`);
      expect(r.stdout, command).toMatch(new RegExp(`Examples:\\n(.*\\n)*? {2}\\$ herald (--\\S+ \\S+ )*${command}\\b`));
    }
    const unknown = await runCli(['webhook', 'list']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/herald: unknown command 'webhook'/);
    expect(unknown.stderr).toMatch(/webhooks/); // commander suggests the right one
    const badOption = await runCli(['webhooks', 'list', '--colour']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/unknown option '--colour'/);
  }, 120_000);
});
