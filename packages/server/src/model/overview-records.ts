import type { DeliveryStatus } from '@herald/contracts';
import type { EpochMs } from './records.js';

/** Nearest-rank percentiles of a sample, in milliseconds. */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/** Newest-first page of the event log (`listRecentEvents`), for people rather than pollers. */
export interface RecentEventsQuery {
  /** Return events with a smaller sequence (the next page). */
  beforeSequence?: number;
  types?: string[];
  /** Only the events of this operation (its timeline). */
  operation?: string;
  pageSize: number;
}

export interface DeliveryOverviewQuery {
  /** Window start for the delivery counts and the attempt statistics. */
  since: EpochMs;
  /** The percentiles are computed over at most this many of the most recent attempts. */
  maxSample: number;
}

/** One project's delivery health, for the dashboard overview (`deliveryOverview`). */
export interface DeliveryOverview {
  /** Deliveries created since `since`, by current status. */
  deliveries: Record<DeliveryStatus, number>;
  /** Unsettled deliveries of the project, whatever their age. */
  backlog: { pending: number; inFlight: number; oldestPendingCreatedAt: EpochMs | null };
  attempts: {
    /** Attempts started since `since`. */
    count: number;
    /** Of those, attempts answered with a 2xx. */
    succeeded: number;
    /** Attempts the percentiles were computed from (≤ `maxSample`). */
    sampled: number;
    /** Attempt duration (request sent → response read). Null without attempts. */
    durationMs: Percentiles | null;
    /**
     * Event committed → receiver answered 2xx, for deliveries that succeeded on their first
     * attempt. Null without such attempts.
     */
    notificationLatencyMs: Percentiles | null;
  };
}

/** Nearest-rank percentiles of an ascending sample; null when it is empty. */
export function percentilesOf(sortedAsc: readonly number[]): Percentiles | null {
  if (sortedAsc.length === 0) return null;
  const at = (p: number) =>
    sortedAsc[Math.min(sortedAsc.length - 1, Math.max(0, Math.ceil((p / 100) * sortedAsc.length) - 1))]!;
  return { p50: at(50), p95: at(95), p99: at(99) };
}
