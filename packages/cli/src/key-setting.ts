/**
 * One key the CLI sends (the project API key or the admin key), found like every setting:
 * flag > environment > config file > the file `herald serve` keeps in its data directory.
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where a key came from. */
export type KeySource = 'flag' | 'env' | 'config' | 'data-dir';

/** Which key: its flag, environment variable, config field and data-dir file. */
export interface KeyKind {
  flag: '--api-key' | '--admin-key';
  envName: 'HERALD_API_KEY' | 'HERALD_ADMIN_KEY';
  configField: 'api_key' | 'admin_key';
  fileName: 'api-key' | 'admin-key';
}

export const API_KEY: KeyKind = {
  flag: '--api-key',
  envName: 'HERALD_API_KEY',
  configField: 'api_key',
  fileName: 'api-key',
};
export const ADMIN_KEY: KeyKind = {
  flag: '--admin-key',
  envName: 'HERALD_ADMIN_KEY',
  configField: 'admin_key',
  fileName: 'admin-key',
};

export interface ResolvedKey {
  key: string | undefined;
  source: KeySource | undefined;
  /** Where the key came from, in words ("the key came from HERALD_API_KEY"). */
  describe(): string;
  /** Every place that was looked at, in order, for a "no key" message. */
  lookedAt: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** `<HERALD_DATA_DIR or ./.herald>/<file>`. */
export function dataDirFile(fileName: string, env: Env): string {
  return join(resolve(env.HERALD_DATA_DIR ?? '.herald'), fileName);
}

function readKeyFile(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves one key. `flagValue` is what commander holds (`fromEnv` when it came from the
 * variable); `configValue` is the config file's field; `configPath` names the file in messages.
 */
export function resolveKey(
  kind: KeyKind,
  flag: { value: string | undefined; fromEnv: boolean },
  configValue: () => string | undefined,
  configPath: string,
  env: Env,
): ResolvedKey {
  const file = dataDirFile(kind.fileName, env);
  let key: string | undefined;
  let source: KeySource | undefined;
  if (flag.value !== undefined && flag.value !== '') {
    key = flag.value;
    source = flag.fromEnv ? 'env' : 'flag';
  } else if (configValue()) {
    key = configValue();
    source = 'config';
  } else {
    key = readKeyFile(file);
    source = key === undefined ? undefined : 'data-dir';
  }
  const noun = kind === ADMIN_KEY ? 'the admin key' : 'the key';
  return {
    key,
    source,
    lookedAt: `${kind.flag}, ${kind.envName}, "${kind.configField}" in ${configPath}, ${file}`,
    describe() {
      switch (source) {
        case 'flag':
          return `${noun} came from ${kind.flag}`;
        case 'env':
          return `${noun} came from ${kind.envName}`;
        case 'config':
          return `${noun} came from ${configPath} (written by \`herald login\`)`;
        case 'data-dir':
          return `${noun} came from ${file} (written by \`herald serve\`)`;
        case undefined:
          return `no ${noun.replace(/^the /, '')} was given`;
      }
    },
  };
}
