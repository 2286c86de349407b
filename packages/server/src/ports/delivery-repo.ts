import type { AttemptRecord, DeliveryFilter, DeliveryRecord, EpochMs } from '../model/records.js';
import type { ReplayInput, ReplayResult } from '../model/replay-records.js';

/** Deliveries as the API and the dashboard see them: read, retry by hand, replay. */
export interface DeliveryRepo {
  getDelivery(
    projectId: string,
    id: string,
  ): Promise<{ delivery: DeliveryRecord; attempts: AttemptRecord[] } | undefined>;
  listDeliveries(projectId: string, filter: DeliveryFilter): Promise<DeliveryRecord[]>;
  /** Makes the delivery due now for one manual attempt. */
  retryDelivery(projectId: string, id: string, now: EpochMs): Promise<DeliveryRecord | undefined>;
  /**
   * Replay: in one transaction, makes a static webhook's failed (or all settled) deliveries of a
   * time window due now with trigger `replay`, and creates the rows of events it never got
   * (see `ReplayInput`). Bounded by `input.limit`.
   */
  replayWebhookDeliveries(input: ReplayInput): Promise<ReplayResult>;
}
