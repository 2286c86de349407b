import { invalidArgument } from './api-error.js';

/**
 * The fields a `PATCH` changes: those its `update_mask` names (comma-separated, snake_case or
 * camelCase), each one of `maskable`; without a mask, the maskable fields the body holds.
 */
export function readUpdateMask<F extends string>(
  raw: string | undefined,
  body: Partial<Record<F, unknown>>,
  maskable: readonly F[],
): F[] {
  if (!raw) return maskable.filter((f) => body[f] !== undefined);
  const fields = raw
    .split(',')
    .map((f) => f.trim().replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
    .filter(Boolean);
  for (const f of fields)
    if (!(maskable as readonly string[]).includes(f))
      throw invalidArgument(`update_mask names unknown field "${f.slice(0, 40)}"; allowed: ${maskable.join(', ')}`);
  return fields as F[];
}
