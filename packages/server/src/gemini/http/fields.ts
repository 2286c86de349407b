import { invalidArgument } from '../../http/api-error.js';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Reads a field in either proto-JSON spelling (`display_name` or `displayName`), as Google's
 * endpoints accept both. The snake_case spelling wins when both are present.
 */
export function field(obj: Json, snake: string): unknown {
  return obj[snake] ?? obj[camel(snake)];
}

/** An optional string field, or a 400 naming it. */
export function optionalString(obj: Json, snake: string, path: string, max = 1024): string | undefined {
  const v = field(obj, snake);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidArgument(`${path} must be a string`, path);
  if (v.length > max) throw invalidArgument(`${path} must be at most ${max} characters`, path);
  return v;
}

/** An optional object field, or a 400 naming it. */
export function optionalObject(obj: Json, snake: string, path: string): Json | undefined {
  const v = field(obj, snake);
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw invalidArgument(`${path} must be an object`, path);
  return v;
}

/** Epoch ms → RFC 3339, as Google resources carry times. */
export const iso = (ms: number) => new Date(ms).toISOString();
