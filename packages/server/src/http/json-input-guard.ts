import type { FastifyRequest } from 'fastify';
import { invalidArgument } from './api-error.js';

/** How deep a request body may nest objects and arrays (the body itself is level 1). */
export const MAX_JSON_DEPTH = 64;

const shortPath = (path: string) => (path.length > 120 ? `${path.slice(0, 117)}...` : path);
const child = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

/**
 * Refuses what the stores cannot hold or serialize, before any handler sees it: a body nested
 * deeper than {@link MAX_JSON_DEPTH} (`JSON.stringify` overflows the stack at a few thousand
 * levels) and a NUL character (U+0000) in any string or key (PostgreSQL text and jsonb cannot
 * store it). Iterative, so a hostile body cannot overflow the stack here either.
 *
 * @throws ApiError INVALID_ARGUMENT naming the field.
 */
export function checkJsonInput(value: unknown): void {
  const stack: [unknown, string, number][] = [[value, '', 1]];
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) throw nul(path);
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth > MAX_JSON_DEPTH) {
      const top = /^[^.[]*/.exec(path)?.[0] ?? '';
      throw invalidArgument(
        `Invalid body: "${shortPath(top || 'body')}" is nested more than ${MAX_JSON_DEPTH} levels deep; flatten it`,
      );
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, child(path, i), depth + 1]));
      continue;
    }
    for (const [k, item] of Object.entries(v)) {
      if (k.includes('\u0000'))
        throw invalidArgument(
          `Invalid body: "${shortPath(path || 'body')}" contains a NUL character (U+0000) in a key; remove it`,
        );
      stack.push([item, child(path, k), depth + 1]);
    }
  }
}

/**
 * Whether a JSON text could hold what {@link checkJsonInput} refuses, read off the text with
 * native searches: a NUL can only arrive as the escape `\u0000` (raw control characters are not
 * JSON), and nesting deeper than {@link MAX_JSON_DEPTH} needs more opening brackets than that.
 * Most bodies answer false at once, so the walk over the parsed value stays off the ingest path.
 */
export function mayNeedJsonCheck(text: string): boolean {
  if (text.includes('\\u0000')) return true;
  let opening = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1; i = text.indexOf(bracket, i + 1)) {
      if (++opening > MAX_JSON_DEPTH) return true;
    }
  }
  return false;
}

const nul = (path: string) =>
  invalidArgument(`Invalid body: "${shortPath(path || 'body')}" contains a NUL character (U+0000); remove it`);

/**
 * A `preValidation` hook refusing a NUL character in a query parameter, a path segment or a
 * form field (`?types=a%00b`, `/webhooks/a%00b`, the dashboard's forms), which PostgreSQL
 * cannot compare or store.
 */
export async function refuseNulInUrl(req: FastifyRequest): Promise<void> {
  const form = req.body instanceof URLSearchParams ? Object.fromEntries(req.body) : undefined;
  for (const [where, values] of [
    ['query parameter', req.query],
    ['path parameter', req.params],
    ['form field', form],
  ] as const) {
    if (typeof values !== 'object' || values === null) continue;
    for (const [name, v] of Object.entries(values as Record<string, unknown>)) {
      const all = Array.isArray(v) ? v : [v];
      if (all.some((x) => typeof x === 'string' && x.includes('\u0000')))
        throw invalidArgument(`Invalid ${where}: "${shortPath(name)}" contains a NUL character (U+0000); remove it`);
    }
  }
}
