import type { EpochMs, EventRecord } from '../model/records.js';
import type { DeliveryOverview, DeliveryOverviewQuery, RecentEventsQuery } from '../model/overview-records.js';
import type { ActivityQuery, DeliveryActivity, ProjectSummary } from '../model/operator-records.js';

export interface DeliveryStats {
  pending: number;
  inFlight: number;
  /** `created_at` of the oldest pending or in-flight delivery, or null. */
  oldestPendingCreatedAt: EpochMs | null;
  disabledWebhooks: number;
}

/** Read-only views for the dashboard and `/metrics`. */
export interface ReadModels {
  /** One project's delivery counts, backlog and attempt latency percentiles. */
  deliveryOverview(projectId: string, q: DeliveryOverviewQuery): Promise<DeliveryOverview>;
  /** The project's events, newest first. */
  listRecentEvents(projectId: string, q: RecentEventsQuery): Promise<EventRecord[]>;
  /** Whole-store gauges for /metrics (no per-destination breakdown: bounded cardinality). */
  deliveryStats(): Promise<DeliveryStats>;
  /**
   * Webhooks, backlog and attempts since `since` of each project of `projectIds` (one page of the
   * operator's projects page), in one grouped query; a project with nothing has zeros.
   */
  projectSummaries(projectIds: readonly string[], since: EpochMs): Promise<ProjectSummary[]>;
  /** Attempts per bucket and a latency sample since `q.since`, of one project or all. */
  deliveryActivity(q: ActivityQuery): Promise<DeliveryActivity>;
}
