import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { configPath, readConfig, removeConfig, resolveConnection, writeConfig } from './settings.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'herald-cli-settings-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const noFlags = { url: undefined, urlFromEnv: false, apiKey: undefined, apiKeyFromEnv: false };

describe('config file', () => {
  it('lives under HERALD_CONFIG, else XDG_CONFIG_HOME, else ~/.config', () => {
    expect(configPath({ HERALD_CONFIG: '/x/h.json', XDG_CONFIG_HOME: '/xdg' })).toBe('/x/h.json');
    expect(configPath({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/herald/config.json');
    expect(configPath({})).toMatch(/\.config\/herald\/config\.json$/);
  });

  it('is written readable by its owner only, even over an existing file', () => {
    const path = join(tempDir(), 'nested', 'config.json');
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '{}', { mode: 0o644 });
    writeConfig(path, { url: 'http://h:1', api_key: 'k' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readConfig(path)).toEqual({ url: 'http://h:1', api_key: 'k' });
    expect(removeConfig(path)).toBe(true);
    expect(removeConfig(path)).toBe(false);
    expect(readConfig(path)).toBeUndefined();
  });

  it('reports a corrupt file as a usage error that says how to fix it', () => {
    const path = join(tempDir(), 'config.json');
    writeFileSync(path, '{nope');
    expect(() => readConfig(path)).toThrow(UsageError);
    expect(() => readConfig(path)).toThrow(/herald logout/);
  });
});

describe('resolveConnection', () => {
  it('prefers flags, then the environment (as commander reports it), then the config file, then defaults', () => {
    const dir = tempDir();
    const env = { XDG_CONFIG_HOME: dir, HERALD_DATA_DIR: join(dir, 'none') };
    writeConfig(configPath(env), { url: 'http://config:1', api_key: 'from-config' });

    const fromConfig = resolveConnection(noFlags, env);
    expect(fromConfig).toMatchObject({ url: 'http://config:1', urlSource: 'config', apiKey: 'from-config' });
    expect(fromConfig.describeKeySource()).toMatch(/written by `herald login`/);

    const fromEnv = resolveConnection({ url: 'http://env:2', urlFromEnv: true, apiKey: 'e', apiKeyFromEnv: true }, env);
    expect(fromEnv).toMatchObject({ url: 'http://env:2', urlSource: 'env', apiKey: 'e', apiKeySource: 'env' });

    const fromFlag = resolveConnection(
      { url: 'http://flag:3/', urlFromEnv: false, apiKey: 'f', apiKeyFromEnv: false },
      env,
    );
    expect(fromFlag).toMatchObject({ url: 'http://flag:3', urlSource: 'flag', apiKeySource: 'flag' });

    const bare = resolveConnection(noFlags, {
      XDG_CONFIG_HOME: join(dir, 'empty'),
      HERALD_DATA_DIR: join(dir, 'none'),
    });
    expect(bare).toMatchObject({ url: 'http://127.0.0.1:8080', urlSource: 'default', apiKey: undefined });
  });

  it('falls back to the api-key file of the herald serve data directory', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'api-key'), 'hk_from_data_dir\n');
    const c = resolveConnection(noFlags, { XDG_CONFIG_HOME: dir, HERALD_DATA_DIR: join(dir, 'data') });
    expect(c).toMatchObject({ apiKey: 'hk_from_data_dir', apiKeySource: 'data-dir' });
    expect(c.describeKeySource()).toContain(join(dir, 'data', 'api-key'));
  });

  it('finds the admin key like the API key: flag, environment, config file, data directory', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'admin-key'), 'ha_from_data_dir\n');
    const env = { XDG_CONFIG_HOME: dir, HERALD_DATA_DIR: join(dir, 'data') };
    const fromFile = resolveConnection(noFlags, env);
    expect(fromFile).toMatchObject({ adminKey: 'ha_from_data_dir', adminKeySource: 'data-dir', apiKey: undefined });
    expect(fromFile.describeAdminKeySource()).toBe(
      `the admin key came from ${join(dir, 'data', 'admin-key')} (written by \`herald serve\`)`,
    );

    writeConfig(configPath(env), { admin_key: 'ha_from_config' });
    expect(resolveConnection(noFlags, env)).toMatchObject({ adminKey: 'ha_from_config', adminKeySource: 'config' });
    const fromEnv = resolveConnection({ ...noFlags, adminKey: 'ha_env', adminKeyFromEnv: true }, env);
    expect(fromEnv).toMatchObject({ adminKey: 'ha_env', adminKeySource: 'env' });
    expect(fromEnv.describeAdminKeySource()).toBe('the admin key came from HERALD_ADMIN_KEY');
    expect(resolveConnection({ ...noFlags, adminKey: 'ha_flag' }, env)).toMatchObject({ adminKeySource: 'flag' });

    const none = resolveConnection(noFlags, { XDG_CONFIG_HOME: join(dir, 'x'), HERALD_DATA_DIR: join(dir, 'none') });
    expect(none.adminKey).toBeUndefined();
    expect(none.adminKeyLookedAt).toBe(
      `--admin-key, HERALD_ADMIN_KEY, "admin_key" in ${join(dir, 'x', 'herald', 'config.json')}, ${join(dir, 'none', 'admin-key')}`,
    );
  });

  it('rejects a URL that is not http(s), naming where it came from', () => {
    const env = { XDG_CONFIG_HOME: tempDir() };
    expect(() => resolveConnection({ ...noFlags, url: 'localhost:8080' }, env)).toThrow(
      /--url must be an http\(s\) URL/,
    );
    expect(() => resolveConnection({ ...noFlags, url: 'ftp://x', urlFromEnv: true }, env)).toThrow(/^HERALD_URL must/);
  });
});
