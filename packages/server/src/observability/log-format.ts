/**
 * Pino's JSON lines made readable on a terminal: `12:00:01.234 INFO  message  key=value …`.
 * `herald serve` on a TTY logs this way; piped or in a container it keeps JSON lines.
 * @module
 */

import { Writable } from 'node:stream';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const OMIT = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'err']);

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

/** One JSON log line as a human-readable line (ending in a newline). Not JSON: returned as is. */
export function humanLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const level = (LEVELS[entry.level as number] ?? String(entry.level)).padEnd(5);
  const fields = Object.entries(entry)
    .filter(([k]) => !OMIT.has(k))
    .map(([k, v]) => `${k}=${value(v)}`);
  const parts = [time, level, typeof entry.msg === 'string' ? entry.msg : ''];
  if (fields.length > 0) parts.push(` ${fields.join(' ')}`);
  let line = parts.join(' ').trimEnd();
  const err = entry.err as { stack?: string; message?: string } | undefined;
  if (err) line += `\n    ${(err.stack ?? err.message ?? JSON.stringify(err)).split('\n').join('\n    ')}`;
  return `${line}\n`;
}

/** A pino destination writing {@link humanLogLine}s to `out`. */
export function humanLogStream(out: { write(s: string): unknown }): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) if (l !== '') out.write(humanLogLine(l));
      done();
    },
  });
}
