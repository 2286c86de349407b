import { sortableId } from '../../kernel/sortable-id.js';
import type { EpochMs } from '../../model/records.js';

/**
 * Upper bound of the ids of events created before `before`. Event ids are `evt_` + 10 characters
 * of millisecond time + randomness (`sortableId`), so `id < bound` walks the primary key in time
 * order; stores still check `created_at` too.
 */
export function eventIdBound(before: EpochMs): string {
  return sortableId('evt_', before).slice(0, 'evt_'.length + 10);
}
