/**
 * Whether `err` says the database's disk is full: SQLite `SQLITE_FULL`, PostgreSQL `53100`
 * (disk_full), or `ENOSPC`. Follows `cause`. The store's classifier, handed to the HTTP error
 * handler by compose/ (like `isDatabaseUnavailable`).
 */
export function isDiskFull(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const { code, cause } = err as { code?: unknown; cause?: unknown };
  if (code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC') return true;
  return isDiskFull(cause, depth + 1);
}
