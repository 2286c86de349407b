import { invalidArgument } from './api-error.js';

/**
 * The `filter` of `GET /projects`: `name:<text>` (or `name:"<text>"`), names containing the text,
 * case-insensitively. Absent or empty: no filter.
 */
export function readNameFilter(filter: string | undefined): string | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const m = /^\s*name\s*[:=]\s*(?:"([^"]*)"|(\S.*?))\s*$/.exec(filter);
  const text = m ? (m[1] ?? m[2]) : undefined;
  if (text === undefined || text.length > 200)
    throw invalidArgument(
      `filter "${filter.slice(0, 60)}" is not supported: use name:<text> (names containing the text), e.g. filter=name:acme`,
      'filter',
    );
  return text;
}
