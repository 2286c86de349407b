import { notFound } from '../kernel/domain-errors.js';
import type { EventRecord } from '../model/records.js';
import type { OperationQuery, OperationRecord } from '../model/operation-records.js';
import type { DeliveryOverview, DeliveryOverviewQuery, RecentEventsQuery } from '../model/overview-records.js';
import type { OperationRepo } from '../ports/operation-repo.js';
import type { ReadModels } from '../ports/read-models.js';

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

  async operation(projectId: string, name: string): Promise<OperationRecord> {
    const op = await this.#reads.getOperation(projectId, name);
    if (!op) throw notFound(`operation "${name}" not found (it may have been deleted)`);
    return op;
  }
}
