import { ConfigError } from '../../kernel/config-error.js';
import { isDatabaseUnavailable } from '../database-unavailable.js';

/** Where a `postgres://` URL points, without its password: `127.0.0.1:5432, database herald, user bob`. */
export function describePgTarget(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || 'localhost';
    const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default)';
    const user = decodeURIComponent(u.username) || '(default)';
    return `${host}:${u.port || '5432'}, database ${db}, user ${user}`;
  } catch {
    return 'the host in HERALD_DATABASE_URL (not a valid URL)';
  }
}

/** SQLSTATEs that retrying cannot fix: what the operator has to change. */
const FATAL: Record<string, string> = {
  '28P01': 'the password was refused: check the user and password in HERALD_DATABASE_URL',
  '28000': 'the server refused this user (pg_hba.conf): check the user in HERALD_DATABASE_URL and pg_hba.conf',
  '3D000': 'the database does not exist: create it (CREATE DATABASE …) or fix its name in HERALD_DATABASE_URL',
};

/** The first error in `err`'s `cause` chain with a SQLSTATE from {@link FATAL}. */
function fatalCause(err: unknown, depth = 0): { hint: string; message: string } | undefined {
  if (typeof err !== 'object' || err === null || depth > 4) return undefined;
  const { code, message, cause } = err as { code?: unknown; message?: unknown; cause?: unknown };
  const hint = typeof code === 'string' ? FATAL[code] : undefined;
  if (hint) return { hint, message: String(message) };
  return fatalCause(cause, depth + 1);
}

/** The message of the deepest `cause` (`connect ECONNREFUSED …`, not the migration wrapper's). */
function innermost(err: unknown): string {
  let e = err;
  for (let i = 0; i < 4 && e instanceof Error && e.cause instanceof Error; i++) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

export interface ConnectRetryOptions {
  /** For the log lines (never printed with its password). */
  url: string;
  /** Called before each wait with the line to log; the caller logs it as a warning. */
  warn: (message: string, retryInMs: number) => void;
  /** Waits `ms` (injected: tests do not wait). */
  sleep: (ms: number) => Promise<void>;
  /** First delay; doubles up to `maxDelayMs`. Default 500 ms. */
  firstDelayMs?: number;
  /** Default 30 s. */
  maxDelayMs?: number;
}

/**
 * Runs `open` until it succeeds: while PostgreSQL cannot be reached (refused, reset, starting up,
 * too many connections) it logs what to check — host, port, database and user from the URL, never
 * the password — and tries again with exponential backoff (0.5 s doubling to 30 s), so a Herald
 * started before its database comes up by itself. A refused password or a missing database ends
 * it at once with a {@link ConfigError} saying what to fix; any other error is thrown as is.
 */
export async function connectWithRetry<T>(open: () => Promise<T>, opts: ConnectRetryOptions): Promise<T> {
  const target = describePgTarget(opts.url);
  let delay = opts.firstDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (err) {
      const fatal = fatalCause(err);
      if (fatal) throw new ConfigError(`PostgreSQL at ${target}: ${fatal.hint} (${fatal.message})`, { cause: err });
      if (!isDatabaseUnavailable(err)) throw err;
      const why = innermost(err);
      opts.warn(
        `cannot reach PostgreSQL at ${target} (${why}; attempt ${attempt}): check that the server runs ` +
          `and accepts TCP connections on that host and port, and HERALD_DATABASE_URL; ` +
          `retrying in ${Math.round(delay / 100) / 10} s`,
        delay,
      );
      await opts.sleep(delay);
      delay = Math.min(delay * 2, opts.maxDelayMs ?? 30_000);
    }
  }
}
