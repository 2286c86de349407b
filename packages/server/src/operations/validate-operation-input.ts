import { invalidArgument } from '../kernel/domain-errors.js';
import { CUSTOM_KIND_PATTERN, RESERVED_KIND_PREFIX } from './kinds.js';

/** Validates a custom kind: lower-case dotted segments, outside the built-in `gemini.` kinds. */
export function checkKind(kind: string, field = 'kind'): string {
  if (kind.length === 0 || kind.length > 128 || !CUSTOM_KIND_PATTERN.test(kind))
    throw invalidArgument(
      `${field} "${kind.slice(0, 140)}" is not valid: use lower-case [a-z0-9_] segments separated by dots, e.g. "render.video" (at most 128 characters)`,
    );
  if (kind.startsWith(RESERVED_KIND_PREFIX))
    throw invalidArgument(`${field} "${kind}" is reserved: "gemini." kinds are run by Herald's simulator`);
  return kind;
}

/** Throws INVALID_ARGUMENT when `value` serializes to more than `max` bytes. */
export function checkSize(value: unknown, field: string, max: number): void {
  const size = Buffer.byteLength(JSON.stringify(value) ?? '');
  if (size > max)
    throw invalidArgument(
      `${field} is ${size} bytes; at most ${max} are allowed (store large data elsewhere and pass a link)`,
    );
}
