import type { EpochMs } from './records.js';

/** One project's numbers on the operator's projects page (`ReadModels.projectSummaries`). */
export interface ProjectSummary {
  projectId: string;
  /** Webhooks of the project, whatever their state. */
  webhooks: number;
  /** Deliveries pending or in flight (not settled yet), whatever their age. */
  backlog: number;
  /** Attempts started since the window start, and how many got a 2xx. */
  attempts: number;
  succeeded: number;
}

/** Delivery activity over a window, bucketed, for the operator's charts (`ReadModels.deliveryActivity`). */
export interface ActivityQuery {
  since: EpochMs;
  /** Bucket width: attempts started in `[since + i·bucketMs, since + (i+1)·bucketMs)` fall in bucket `i`. */
  bucketMs: number;
  /** The latency sample is the latest attempts of the window, at most this many. */
  maxSample: number;
  /** One project, or every project when absent. */
  projectId?: string | undefined;
}

export interface ActivityBucket {
  /** Bucket index from `since` (buckets without attempts are absent). */
  bucket: number;
  attempts: number;
  succeeded: number;
}

export interface DeliveryActivity {
  buckets: ActivityBucket[];
  /** The latest attempts of the window (≤ `maxSample`), for latency percentiles. */
  sample: { startedAt: EpochMs; durationMs: number }[];
}
