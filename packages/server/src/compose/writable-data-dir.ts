import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../kernel/config-error.js';

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'it is on a read-only file system',
  ENOTDIR: 'a part of the path is a file, not a directory',
  ENOSPC: 'the disk is full',
};

/** Who Herald runs as, for the message: `uid 65534`. */
function whoAmI(): string {
  const uid = process.getuid?.();
  return uid === undefined ? 'the user running Herald' : `the user running Herald (uid ${uid})`;
}

function nearestExisting(dir: string): string {
  let d = resolve(dir);
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

/** The errno code that keeps this process from writing in `dir`, if any. */
function problemOf(dir: string): string | undefined {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code;
  }
}

/**
 * Makes sure the data dir exists and Herald may write in it (its master key, API key, lock and,
 * on SQLite, the database live there) before anything else touches it. Otherwise a
 * {@link ConfigError} names the directory, what is wrong (permission, read-only file system) and
 * what to do, instead of an `EACCES` from whichever file happened to be written first.
 */
export function ensureWritableDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    // A recursive mkdir reports ENOENT on a read-only file system: ask the nearest existing parent.
    const code = problemOf(nearestExisting(dir)) ?? (err as NodeJS.ErrnoException).code ?? '';
    if (!WHY[code]) throw err;
    throw new ConfigError(
      `HERALD_DATA_DIR ${dir} cannot be created: ${WHY[code]} (${code}). Create it and make it writable by ` +
        `${whoAmI()}, or set HERALD_DATA_DIR (--data-dir) to a directory it can write.`,
      { cause: err },
    );
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (!WHY[code]) throw err;
    throw new ConfigError(
      `HERALD_DATA_DIR ${dir} is not writable: ${WHY[code]} (${code}). Herald keeps its database, ` +
        `master key and lock there: give ${whoAmI()} write permission (chown, or chmod u+rwx), ` +
        `or set HERALD_DATA_DIR (--data-dir) to a directory it can write.`,
      { cause: err },
    );
  }
}
