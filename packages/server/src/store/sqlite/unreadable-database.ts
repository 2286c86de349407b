import { ConfigError } from '../../kernel/config-error.js';

/** SQLite result codes that mean the file is not a database Herald can read (not a transient failure). */
const CORRUPT = /^SQLITE_(NOTADB|CORRUPT)/;

/**
 * Turns SQLite's "file is not a database" or "database disk image is malformed" on opening the
 * store into a {@link ConfigError} that names the file and what to do (restore it; Herald never
 * overwrites it), instead of an unexpected error with a stack trace. Any other error is returned as is.
 */
export function explainUnreadableDatabase(file: string, err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !CORRUPT.test(code)) return err;
  const what = (err as Error).message;
  return new ConfigError(
    `${file} is not a readable SQLite database (${what}, ${code}). Herald leaves it untouched. ` +
      `Stop Herald and restore herald.db from a backup (with its -wal file, if any). To start over ` +
      `instead, move herald.db, herald.db-wal and herald.db-shm out of the data dir and start with ` +
      `HERALD_ALLOW_EMPTY_DATABASE=1: the events it held are then lost.`,
    { cause: err },
  );
}
