import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_BYTES = 32;
const KEY_FILE = 'master.key';

/** Where the master key is kept when `HERALD_MASTER_KEY` is unset. */
export const masterKeyFile = (dataDir: string): string => join(dataDir, KEY_FILE);

/** Options of {@link loadOrCreateMasterKey}. */
export interface MasterKeyOptions {
  /** Value of `HERALD_MASTER_KEY`: 32 bytes as base64 (44 chars, or 43 unpadded; URL-safe accepted) or hex (64 chars). Empty = unset. */
  env?: string | undefined;
  /** Data directory holding `master.key` when `env` is unset (created if missing). */
  dataDir: string;
}

/**
 * Returns the 32-byte master key that encrypts secrets at rest.
 *
 * Order: `env` when set (never touches the disk); otherwise `<dataDir>/master.key` (base64); otherwise
 * a new random key is written there with mode 0o600 (directory created with 0o700 if missing). The file
 * is created exclusively, so two processes starting together end up with the same key.
 *
 * @throws Error naming the source (env or file) when the key is not exactly 32 bytes.
 * @example
 * const masterKey = loadOrCreateMasterKey({ env: process.env.HERALD_MASTER_KEY, dataDir: config.dataDir });
 */
export function loadOrCreateMasterKey(options: MasterKeyOptions): Uint8Array {
  const env = options.env?.trim();
  if (env !== undefined && env !== '') return decodeKey(env, 'HERALD_MASTER_KEY');

  const file = masterKeyFile(options.dataDir);
  const existing = readKeyFile(file);
  if (existing !== undefined) return decodeKey(existing, file);

  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  try {
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process created it between our read and write: use theirs.
    if (isErrno(err, 'EEXIST')) return decodeKey(readFileSync(file, 'utf8').trim(), file);
    throw err;
  }
  return new Uint8Array(key);
}

function readKeyFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

function decodeKey(text: string, source: string): Uint8Array {
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) bytes = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) bytes = Buffer.from(text, 'base64');
  if (bytes?.length !== KEY_BYTES) {
    const got = bytes === undefined ? 'text that is neither base64 nor hex' : `${bytes.length} bytes`;
    throw new Error(
      `${source}: master key must be ${KEY_BYTES} bytes encoded as base64 (44 chars) or hex (64 chars); got ${got}. ` +
        `Generate one with: openssl rand -base64 32`,
    );
  }
  return new Uint8Array(bytes);
}

function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code;
}
