import { DELIVERY_WINDOW_HOURS } from '../model/build-event.js';
import { sortableId } from '../kernel/sortable-id.js';
import type { Clock } from '../kernel/clock.js';
import { failedPrecondition, invalidArgument, notFound } from '../kernel/domain-errors.js';
import type { DeliveryRepo } from '../ports/delivery-repo.js';

/** Most deliveries one replay call re-enqueues (the Svix "recover" bound). */
export const MAX_REPLAY = 10_000;

export interface ReplayRequest {
  /** RFC 3339: events created at or after this instant. */
  since: string;
  /** RFC 3339: events created before this instant (default: now). */
  until?: string | undefined;
  /** Replay only failed and cancelled deliveries (default), or every settled one. */
  onlyFailed?: boolean | undefined;
}

export interface ReplayOutcome {
  replayed: number;
  requeued: number;
  created: number;
  truncated: boolean;
  /** When truncated: call again with this `since` to continue. */
  nextSince: string | undefined;
}

export interface ReplayServiceDeps {
  store: DeliveryRepo;
  clock: Clock;
  timeScale: number;
  /** Defaults to {@link MAX_REPLAY}. */
  maxReplay?: number;
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i;

/** Parses an RFC 3339 timestamp (with a zone) into epoch ms, or throws INVALID_ARGUMENT naming the field. */
export function parseRfc3339(value: string, field: string): number {
  const ms = RFC3339.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw invalidArgument(
      `${field} must be an RFC 3339 timestamp with a zone, e.g. "2026-05-04T12:00:00Z"; got "${value.slice(0, 80)}"`,
    );
  }
  return ms;
}

/**
 * Replay ("recover") a static webhook since a time: every event of the window whose delivery to
 * the webhook failed or was cancelled (or every settled one, with `onlyFailed: false`) is sent
 * again, once, as a new attempt with trigger `replay` on the same delivery row — same
 * `webhook-id`, same body, fresh signature. Events that were never queued to the webhook (it was
 * disabled when they happened) get a new delivery row with the event's message id.
 */
export class ReplayService {
  readonly #d: ReplayServiceDeps;

  constructor(deps: ReplayServiceDeps) {
    this.#d = deps;
  }

  async replay(projectId: string, webhookId: string, req: ReplayRequest): Promise<ReplayOutcome> {
    const now = this.#d.clock.now();
    const since = parseRfc3339(req.since, 'since');
    // Default: everything up to now, including events of this very millisecond.
    const until = req.until === undefined ? now + 1 : parseRfc3339(req.until, 'until');
    if (since > now) throw invalidArgument('since is in the future; nothing happened there yet');
    if (until <= since) throw invalidArgument('until must be after since');
    const windowMs = Math.ceil((DELIVERY_WINDOW_HOURS * 3_600_000) / this.#d.timeScale);
    const r = await this.#d.store.replayWebhookDeliveries({
      projectId,
      webhookId,
      since,
      until,
      onlyFailed: req.onlyFailed ?? true,
      limit: this.#d.maxReplay ?? MAX_REPLAY,
      now,
      deadlineAt: now + windowMs,
      newDeliveryId: () => sortableId('dlv_', now),
    });
    switch (r.status) {
      case 'not_found':
        throw notFound(`webhook "${webhookId}" not found`);
      case 'not_enabled':
        throw failedPrecondition(
          `webhook "${webhookId}" is ${r.state}; enable it (PATCH state=enabled) before replaying, or the replayed deliveries would be cancelled`,
        );
      case 'replayed':
        return {
          replayed: r.replayed,
          requeued: r.requeued,
          created: r.created,
          truncated: r.truncated,
          nextSince: r.nextSince === null ? undefined : new Date(r.nextSince).toISOString(),
        };
    }
  }
}
