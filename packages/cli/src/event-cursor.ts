/**
 * The sequence of the newest event, so that `events tail` can start with new events only.
 * The API has no "latest" cursor, but `GET /events?after=X&page_size=1` says whether anything
 * follows X (and what comes next), so a galloping then binary search finds it in O(log n) calls.
 * @module
 */

import type { EventList } from '@herald/contracts';

/** The one call the search needs. */
export interface EventPager {
  listEvents(q: { after?: number; pageSize?: number }): Promise<EventList>;
}

/** The highest sequence in the log, or 0 when it is empty. */
export async function latestSequence(client: EventPager): Promise<number> {
  /** The first sequence after `after`, or undefined when none. */
  const next = async (after: number) => (await client.listEvents({ after, pageSize: 1 })).events[0]?.sequence;
  // Invariant: an event with sequence `lo` exists; none has a sequence above `hi`.
  let lo = await next(0);
  if (lo === undefined) return 0;
  let hi: number | undefined;
  for (let step = 1; hi === undefined; step *= 2) {
    const found = await next(lo + step - 1);
    if (found === undefined) hi = lo + step - 1;
    else lo = found;
  }
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    const found = await next(mid - 1);
    if (found === undefined) hi = mid - 1;
    else lo = found;
  }
  return lo;
}
