import type { ReplayResult } from '../../model/replay-records.js';

/**
 * The result of a replay batch that read `candidates` (up to `limit + 1`, oldest first, to know
 * whether more remain) and made `requeued + created` deliveries due.
 */
export function replayedResult(
  candidates: readonly { created_at: number }[],
  limit: number,
  counts: { requeued: number; created: number },
): ReplayResult {
  const truncated = candidates.length > limit;
  return {
    status: 'replayed',
    replayed: counts.requeued + counts.created,
    requeued: counts.requeued,
    created: counts.created,
    truncated,
    nextSince: truncated ? candidates[limit]!.created_at : null,
  };
}
