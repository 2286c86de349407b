import type { EpochMs } from '../model/records.js';

/** What one retention batch (`purgeBefore`) deleted. */
export interface PurgeResult {
  events: number;
  deliveries: number;
  attempts: number;
}

/** What the retention runner needs: delete settled history in small batches. */
export interface RetentionPort {
  /**
   * Retention, one small batch in one short transaction: deletes up to `limit` events created
   * before `before` whose deliveries are all settled (never a pending or in-flight one), with
   * those deliveries and their attempts. Fewer than `limit` events deleted: nothing older is left
   * to purge for now. Safe to run from several processes at once.
   */
  purgeBefore(input: { before: EpochMs; limit: number }): Promise<PurgeResult>;
}
