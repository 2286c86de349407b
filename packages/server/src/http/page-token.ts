import { Type, type Static } from 'typebox';
import { invalidArgument } from './api-error.js';

/** Opaque page tokens: base64url JSON of a keyset cursor. */
export function encodePageToken(cursor: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** What a cursor field holds: `number` is a non-negative safe integer, `string` at most 200 characters. */
type FieldType = 'number' | 'string';
type Shape<T> = { [K in keyof T]: T[K] extends number ? 'number' : 'string' };

const fits = (v: unknown, type: FieldType) =>
  type === 'number'
    ? typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
    : typeof v === 'string' && v.length <= 200 && !v.includes('\u0000');

/**
 * Decodes a page token into its cursor. A token is client input: every field of `shape` must be
 * there with its type (a crafted `{"s":{}}` would otherwise reach the database as a bind
 * parameter), else `400 page_token is not valid`. `shape` may be the key list of a cursor whose
 * fields are all strings or numbers (either accepted).
 */
export function decodePageToken<T extends Record<string, string | number>>(
  token: string,
  shape: Shape<T> | readonly (keyof T)[],
): T {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const entries: [string, FieldType | undefined][] = Array.isArray(shape)
        ? shape.map((k) => [String(k), undefined])
        : Object.entries(shape as Record<string, FieldType>);
      const v = value as Record<string, unknown>;
      const ok = entries.every(([k, type]) => (type ? fits(v[k], type) : fits(v[k], 'number') || fits(v[k], 'string')));
      if (ok) return Object.fromEntries(entries.map(([k]) => [k, v[k]])) as T;
    }
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

/**
 * The paging query of Google-style lists (Gemini's batches, models, files): `pageSize` and
 * `pageToken` as the SDK sends them, their snake_case spellings, and `key`.
 */
export const GooglePageQuery = Type.Object({
  pageSize: Type.Optional(Type.String()),
  page_size: Type.Optional(Type.String()),
  pageToken: Type.Optional(Type.String()),
  page_token: Type.Optional(Type.String()),
  key: Type.Optional(Type.String()),
});

/** The page size (see `parsePageSize`) and token of a {@link GooglePageQuery}, in either spelling. */
export function readGooglePage(
  q: Static<typeof GooglePageQuery>,
  def: number,
  max: number,
): { pageSize: number; token: string | undefined } {
  return { pageSize: parsePageSize(q.pageSize ?? q.page_size, def, max), token: q.pageToken ?? q.page_token };
}
