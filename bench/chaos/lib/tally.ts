import type { ChaosCounts } from '../types.js';
import type { Sink } from './sink.js';

/**
 * The row for events `accepted` (the producer's map) at the sink's endpoints `endpoints`: each
 * accepted event counts once per endpoint (one destination each).
 */
export function tally(
  label: string,
  accepted: Iterable<string>,
  sink: Sink,
  endpoints: number[],
  drainMs: number,
  note: string,
): ChaosCounts {
  const ids = [...accepted];
  let delivered = 0;
  let duplicated = 0;
  for (const index of endpoints) {
    const acked = sink.tally(index).acked;
    for (const id of ids) {
      const n = acked.get(id) ?? 0;
      if (n > 0) delivered++;
      if (n > 1) duplicated += n - 1;
    }
  }
  const total = ids.length * endpoints.length;
  return { label, accepted: total, delivered, duplicated, lost: total - delivered, drainMs, note };
}

/** `{"503": 12}` and 40 network errors → `503×12, no answer×40` (what the producer had to retry). */
export function retries(stats: { networkErrors: number; statuses: Record<string, number> }): string {
  const parts = Object.entries(stats.statuses).map(([s, n]) => `${s}×${n}`);
  if (stats.networkErrors) parts.push(`no answer×${stats.networkErrors}`);
  return parts.length ? parts.join(', ') : 'none';
}
