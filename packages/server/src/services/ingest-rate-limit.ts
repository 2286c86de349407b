import type { Clock } from '../kernel/clock.js';
import { ResourceExhausted } from '../kernel/domain-errors.js';
import { LruMap } from '../kernel/lru-map.js';
import { TokenBucket } from '../kernel/token-bucket.js';
import type { EffectiveLimits, ProjectLimits } from './project-limits.js';

export interface IngestRateLimitOptions {
  limits: Pick<ProjectLimits, 'get'>;
  clock: Clock;
  /** Most projects with a bucket in memory (least recently used dropped: it restarts full). Default 10,000. */
  maxProjects?: number;
}

function raiseHint(projectId: string, limits: EffectiveLimits): string {
  return limits.source.eventsPerSecond === 'project'
    ? `raise it with PATCH /v1beta/projects/${projectId}?update_mask=limits {"limits":{"events_per_second":…}} (admin key)`
    : `raise it with HERALD_PROJECT_EVENTS_PER_SECOND, or for this project with PATCH /v1beta/projects/${projectId}?update_mask=limits {"limits":{"events_per_second":…}} (admin key)`;
}

/**
 * The per-project ingest rate limit: a token bucket per project of `eventsPerSecond` tokens a
 * second with one second of burst; each event takes one (a batch takes its size, all or none), and
 * so does each operation created (operations/operation-service.ts: the operations API, Gemini
 * batches, interactions and videos), from the same bucket.
 * Over the limit: ResourceExhausted (429) with the seconds to wait (`Retry-After`), rounded up.
 *
 * Per process: N API processes accept up to N× the limit together. Buckets live in a bounded
 * LRU map, so 10,000+ projects cannot grow memory without bound (a dropped bucket restarts full,
 * which errs on the side of accepting).
 *
 * @example
 * const rate = new IngestRateLimit({ limits, clock });
 * await rate.take('acme', 1); // throws ResourceExhausted when acme is over its events per second
 */
export class IngestRateLimit {
  readonly #o: IngestRateLimitOptions;
  readonly #buckets: LruMap<string, TokenBucket>;

  constructor(opts: IngestRateLimitOptions) {
    this.#o = opts;
    this.#buckets = new LruMap(opts.maxProjects ?? 10_000);
  }

  /** How many buckets are in memory now. */
  get buckets(): number {
    return this.#buckets.size;
  }

  async take(projectId: string, events: number): Promise<void> {
    const limits = await this.#o.limits.get(projectId);
    const rate = limits.eventsPerSecond;
    if (rate <= 0) {
      this.#buckets.delete(projectId);
      return;
    }
    const now = this.#o.clock.now();
    let bucket = this.#buckets.get(projectId);
    // A changed limit (PATCH) starts a fresh bucket at the new rate.
    if (bucket?.ratePerSecond !== rate) {
      bucket = new TokenBucket(rate, now);
      this.#buckets.set(projectId, bucket);
    }
    const waitMs = bucket.take(events, now);
    if (waitMs === 0) return;
    if (waitMs === Infinity) {
      throw new ResourceExhausted(
        `a batch of ${events} events is more than project "${projectId}" may emit in one second (limits.events_per_second = ${rate}); send batches of at most ${rate} events, or ${raiseHint(projectId, limits)}`,
      );
    }
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new ResourceExhausted(
      `project "${projectId}" is over its limit of ${rate} events per second (limits.events_per_second: each event emitted and each operation created counts one); retry after ${seconds} s, or ${raiseHint(projectId, limits)}`,
      seconds,
    );
  }
}
