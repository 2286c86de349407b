import { notFound } from '../kernel/domain-errors.js';
import type { EventRecord } from '../model/records.js';
import type { OperationQuery, OperationRecord } from '../model/operation-records.js';
import type { DeliveryOverview, DeliveryOverviewQuery, RecentEventsQuery } from '../model/overview-records.js';
import type { OperationRepo } from '../ports/operation-repo.js';
import type { ReadModels } from '../ports/read-models.js';
import type { ProjectSummary } from '../model/operator-records.js';
import { activitySeriesOf, HOUR_MS, MINUTE_MS, type ActivitySeries } from './activity-series.js';

/** The operator's charts and success rates look this far back. */
export const OPERATOR_WINDOW_HOURS = 24;

/** The read models the dashboard shows, and the operations it lists. */
export type ProjectReadPorts = ReadModels & Pick<OperationRepo, 'listOperations' | 'getOperation'>;

/**
 * Read-only views of one project for people looking at it (the dashboard): delivery counts and
 * latency, the newest events, and operations, whether or not this process runs operations.
 *
 * @example
 * const o = await reads.overview('default', { since: now - 86_400_000, maxSample: 5_000 });
 */
export class ProjectReads {
  readonly #reads: ProjectReadPorts;

  constructor(deps: { reads: ProjectReadPorts }) {
    this.#reads = deps.reads;
  }

  /** Delivery counts, backlog and attempt latency percentiles since `q.since`. */
  overview(projectId: string, q: DeliveryOverviewQuery): Promise<DeliveryOverview> {
    return this.#reads.deliveryOverview(projectId, q);
  }

  /** The project's events, newest first (optionally those of one operation). */
  recentEvents(projectId: string, q: RecentEventsQuery): Promise<EventRecord[]> {
    return this.#reads.listRecentEvents(projectId, q);
  }

  operations(projectId: string, q: OperationQuery): Promise<OperationRecord[]> {
    return this.#reads.listOperations(projectId, q);
  }

  /** Webhooks, backlog and the last 24 h of attempts of one page of projects (one grouped query). */
  summaries(projectIds: readonly string[], now: number): Promise<ProjectSummary[]> {
    return this.#reads.projectSummaries(projectIds, now - OPERATOR_WINDOW_HOURS * HOUR_MS);
  }

  /**
   * The last 24 h of delivery attempts, of one project or of all, as chart series: attempts per
   * minute, hourly success rate and hourly latency percentiles (of at most `maxSample` attempts).
   * The window starts on a whole minute so the buckets line up with the clock.
   */
  async activity(now: number, opts: { projectId?: string; maxSample?: number } = {}): Promise<ActivitySeries> {
    const since = Math.floor(now / MINUTE_MS) * MINUTE_MS - (OPERATOR_WINDOW_HOURS * HOUR_MS - MINUTE_MS);
    const activity = await this.#reads.deliveryActivity({
      since,
      bucketMs: MINUTE_MS,
      maxSample: opts.maxSample ?? 10_000,
      projectId: opts.projectId,
    });
    return activitySeriesOf(activity, since, OPERATOR_WINDOW_HOURS);
  }

  async operation(projectId: string, name: string): Promise<OperationRecord> {
    const op = await this.#reads.getOperation(projectId, name);
    if (!op) throw notFound(`operation "${name}" not found (it may have been deleted)`);
    return op;
  }
}
