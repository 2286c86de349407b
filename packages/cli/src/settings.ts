/**
 * Where the CLI finds the server URL, the API key and the admin key: flags > environment > the
 * config file written by `herald login` > (keys only) the `api-key` and `admin-key` files that
 * `herald serve` leaves in its data directory.
 * @module
 */

import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { normalizeBaseUrl } from './client.js';
import { UsageError } from './errors.js';
import { ADMIN_KEY, API_KEY, resolveKey } from './key-setting.js';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** The config file: `{"url": "…", "api_key": "…", "admin_key": "…"}`. */
export interface StoredConfig {
  url?: string;
  api_key?: string;
  admin_key?: string;
}

/** Where a setting came from, for messages. */
export type Source = 'flag' | 'env' | 'config' | 'data-dir' | 'default';

export interface Connection {
  url: string;
  urlSource: Source;
  apiKey: string | undefined;
  apiKeySource: Source | undefined;
  /** Where the key came from, in words ("from HERALD_API_KEY"). */
  describeKeySource(): string;
  adminKey: string | undefined;
  adminKeySource: Source | undefined;
  /** Where the admin key came from, in words. */
  describeAdminKeySource(): string;
  /** Every place the admin key was looked for, for the "no admin key" message. */
  adminKeyLookedAt: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** `$HERALD_CONFIG`, else `$XDG_CONFIG_HOME/herald/config.json`, else `~/.config/herald/config.json`. */
export function configPath(env: Env = process.env): string {
  if (env.HERALD_CONFIG) return resolve(env.HERALD_CONFIG);
  const base = env.XDG_CONFIG_HOME ? resolve(env.XDG_CONFIG_HOME) : join(homedir(), '.config');
  return join(base, 'herald', 'config.json');
}

/** Reads the config file; `undefined` when there is none. */
export function readConfig(path: string): StoredConfig | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`config file ${path} is not valid JSON: fix it, or run \`herald logout\` to remove it`, {
      cause: err,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`config file ${path} must hold a JSON object: run \`herald login\` again`);
  }
  const o = parsed as Record<string, unknown>;
  return {
    ...(typeof o.url === 'string' ? { url: o.url } : {}),
    ...(typeof o.api_key === 'string' ? { api_key: o.api_key } : {}),
    ...(typeof o.admin_key === 'string' ? { admin_key: o.admin_key } : {}),
  };
}

/** Writes the config file readable by its owner only (directory 0700, file 0600). */
export function writeConfig(path: string, config: StoredConfig): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600); // writeFileSync keeps the mode of an existing file
}

/** Removes the config file; false when there was none. */
export function removeConfig(path: string): boolean {
  if (!existsSync(path)) return false;
  rmSync(path);
  return true;
}

const URL_SOURCE_NAMES: Record<Source, string> = {
  flag: '--url',
  env: 'HERALD_URL',
  config: 'the config file',
  'data-dir': 'the data directory',
  default: 'the default',
};

/**
 * Resolves the connection from the global options (with their commander value sources), the
 * environment and the config file.
 */
export function resolveConnection(
  flags: {
    url: string | undefined;
    urlFromEnv: boolean;
    apiKey: string | undefined;
    apiKeyFromEnv: boolean;
    adminKey?: string | undefined;
    adminKeyFromEnv?: boolean;
  },
  env: Env = process.env,
): Connection {
  const path = configPath(env);
  let config: StoredConfig | undefined;
  const loadConfig = () => (config ??= readConfig(path) ?? {});

  let rawUrl: string;
  let urlSource: Source;
  if (flags.url !== undefined) {
    rawUrl = flags.url;
    urlSource = flags.urlFromEnv ? 'env' : 'flag';
  } else if (loadConfig().url !== undefined) {
    rawUrl = loadConfig().url!;
    urlSource = 'config';
  } else {
    rawUrl = DEFAULT_URL;
    urlSource = 'default';
  }
  const url = normalizeBaseUrl(rawUrl);
  if (url === undefined) {
    const where = urlSource === 'config' ? `url in ${path}` : URL_SOURCE_NAMES[urlSource];
    throw new UsageError(`${where} must be an http(s) URL such as ${DEFAULT_URL}, got "${rawUrl}"`);
  }

  const apiKey = resolveKey(
    API_KEY,
    { value: flags.apiKey, fromEnv: flags.apiKeyFromEnv },
    () => loadConfig().api_key,
    path,
    env,
  );
  const adminKey = resolveKey(
    ADMIN_KEY,
    { value: flags.adminKey, fromEnv: flags.adminKeyFromEnv === true },
    () => loadConfig().admin_key,
    path,
    env,
  );
  return {
    url,
    urlSource,
    apiKey: apiKey.key,
    apiKeySource: apiKey.source,
    describeKeySource: () => apiKey.describe(),
    adminKey: adminKey.key,
    adminKeySource: adminKey.source,
    describeAdminKeySource: () => adminKey.describe(),
    adminKeyLookedAt: adminKey.lookedAt,
  };
}
