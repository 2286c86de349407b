/**
 * SQLSTATEs that mean "the server cannot serve you right now", not "your statement is wrong":
 * class 08 (connection exception), 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot
 * connect now (starting up, shutting down, in recovery), 53300 too many connections.
 */
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;

/** Socket-level failures reaching the database server (pool connect, a connection cut). */
const ERRNO_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * What node-postgres throws, without a code, when a connection dies under a query, is checked
 * out after it died, or cannot be opened in time.
 */
const PG_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable$/,
  /^timeout exceeded when trying to connect$/,
];

/**
 * Whether `err` says the database cannot be reached or cannot take the request right now (as
 * opposed to a bug or a bad request): a PostgreSQL connection refused, cut or shutting down, or
 * SQLite still locked by another writer after its busy timeout. Retrying later is the remedy, so
 * the HTTP layer answers `503 UNAVAILABLE` with `Retry-After`. Follows `cause` and the `errors`
 * of an `AggregateError` (a connect that tried several addresses).
 *
 * @example
 * if (isDatabaseUnavailable(err)) return reply.code(503).header('retry-after', '5').send(…);
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code !== undefined) {
    if (PG_UNAVAILABLE.test(code) || ERRNO_UNAVAILABLE.has(code)) return true;
    if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return true;
  }
  if (typeof e.message === 'string' && PG_CONNECTION_MESSAGES.some((re) => re.test(e.message as string))) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
