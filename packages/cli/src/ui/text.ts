/**
 * Plain-text helpers for human output: make server-supplied strings safe for a terminal, measure
 * and fit them, and format times and durations.
 * @module
 */

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
// C0 controls except \t and \n, DEL, and C1 controls (which include single-byte CSI).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Makes text from the server (names, URLs, response bodies from any receiver) inert in a terminal:
 * control characters, including escape sequences, are shown as `?`. With `singleLine`, line breaks
 * and tabs become spaces.
 */
export function clean(text: string, singleLine = false): string {
  const s = text.replace(CONTROL, '?');
  return singleLine ? s.replace(/[\t\n]+/g, ' ') : s;
}

/** Visible width in code points (wide characters count as one): ANSI colour codes do not count. */
export function visibleWidth(text: string): number {
  let n = 0;
  for (const _ of text.replace(ANSI, '')) n++;
  return n;
}

/** Cuts `text` (plain, no colours) to at most `max` code points, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  if (visibleWidth(text) <= max) return text;
  const keep = Math.max(0, max - 1);
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (n++ === keep) break;
    out += ch;
  }
  return max <= 0 ? '' : `${out}…`;
}

/** Pads a possibly coloured string to a visible width. */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - visibleWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}

/** `12 ms`, `1.4 s`, `3 min 5 s`, `2 h 10 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return s % 60 ? `${min} min ${s % 60} s` : `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.round(h / 24)} d`;
}

/** `5 s ago`, `in 3 min`, `just now`, relative to `now` (ms since the epoch). */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return clean(iso, true);
  const diff = t - now;
  if (Math.abs(diff) < 1000) return 'just now';
  const text = formatDuration(Math.abs(diff)).replace(/ \d+ (s|min)$/, '');
  return diff < 0 ? `${text} ago` : `in ${text}`;
}

/** `2026-05-04 10:20:30Z` — the RFC 3339 time without milliseconds, easier to read in a table. */
export function formatTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return clean(iso, true);
  return new Date(t)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}
