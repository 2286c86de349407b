import { invalidArgument } from './api-error.js';

/** Opaque page tokens: base64url JSON of a keyset cursor. */
export function encodePageToken(cursor: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodePageToken<T extends Record<string, string | number>>(
  token: string,
  keys: readonly (keyof T)[],
): T {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && keys.every((k) => k in value)) return value as T;
  } catch {
    // fall through
  }
  throw invalidArgument('page_token is not valid: pass the next_page_token of a previous response unchanged');
}

/** Parses `page_size`: default when absent or 0, an integer from 1 to `max` otherwise. */
export function parsePageSize(raw: unknown, def: number, max: number): number {
  if (raw === undefined || raw === '' || raw === '0') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw invalidArgument(
      `page_size must be a whole number from 1 to ${max}, got "${typeof raw === 'string' ? raw : JSON.stringify(raw)}"`,
    );
  return Math.min(n, max);
}
