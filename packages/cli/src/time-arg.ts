/**
 * Time flags (`--since`, `--until`): an RFC 3339 timestamp, the CLI's own display form
 * (`2026-05-04 10:20:30Z`), a date (`2026-05-04`, midnight UTC), or a duration ago (`90s`, `30m`,
 * `2h`, `7d`). Always returned as RFC 3339 UTC with milliseconds, what the API expects.
 * @module
 */

import { InvalidArgumentError } from '@commander-js/extra-typings';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RFC3339 = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i;

/** Parses a time flag relative to `now` (ms since the epoch); undefined when it is not one. */
export function parseTimeArg(raw: string, now: number = Date.now()): string | undefined {
  const value = raw.trim();
  const ago = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(value);
  if (ago) return new Date(now - Number(ago[1]) * UNITS[ago[2]!.toLowerCase()]!).toISOString();
  let candidate = value;
  if (/^\d{4}-\d\d-\d\d$/.test(value)) candidate = `${value}T00:00:00Z`;
  if (!RFC3339.test(candidate)) return undefined;
  const ms = Date.parse(candidate.replace(' ', 'T'));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** A commander parser for time flags (exit 2 with an example when malformed). */
export function timeOption(value: string): string {
  const parsed = parseTimeArg(value);
  if (parsed === undefined) {
    throw new InvalidArgumentError(
      `expected a time such as 2026-05-04T12:00:00Z, 2026-05-04, or a duration ago such as 30m, 2h or 7d; got "${value}".`,
    );
  }
  return parsed;
}
