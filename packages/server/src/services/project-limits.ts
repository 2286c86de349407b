import type { Clock } from '../kernel/clock.js';
import { LruMap } from '../kernel/lru-map.js';
import type { ProjectRepo } from '../ports/project-repo.js';

/** A project's effective limits; 0 means unlimited. */
export interface EffectiveLimits {
  eventsPerSecond: number;
  maxWebhooks: number;
  /** Whether each value is the project's own (`limits.*`) or the instance default (`HERALD_PROJECT_*`). */
  source: { eventsPerSecond: 'project' | 'default'; maxWebhooks: 'project' | 'default' };
}

export interface ProjectLimitsOptions {
  store: Pick<ProjectRepo, 'getProject'>;
  clock: Clock;
  /** HERALD_PROJECT_EVENTS_PER_SECOND and HERALD_PROJECT_MAX_WEBHOOKS (0: unlimited). */
  defaults: { eventsPerSecond: number; maxWebhooks: number };
  /** How long a read is reused: a PATCH of `limits` applies within this. Default 5 s. */
  ttlMs?: number;
  /** Most projects remembered (least recently used dropped first). Default 10,000. */
  maxProjects?: number;
}

/**
 * Each project's limits (its `limits` over the instance defaults), read through a small bounded
 * cache with a short TTL, so the hot path (every emit) rarely touches the database and a PATCH
 * of `/v1beta/projects/{id}` applies within `ttlMs` in every process.
 *
 * @example
 * const limits = new ProjectLimits({ store, clock, defaults: { eventsPerSecond: 0, maxWebhooks: 1000 } });
 * (await limits.get('acme')).maxWebhooks; // 1000, or the project's own
 */
export class ProjectLimits {
  readonly #o: ProjectLimitsOptions;
  readonly #ttlMs: number;
  readonly #cache: LruMap<string, { limits: EffectiveLimits; until: number }>;

  constructor(opts: ProjectLimitsOptions) {
    this.#o = opts;
    this.#ttlMs = opts.ttlMs ?? 5_000;
    this.#cache = new LruMap(opts.maxProjects ?? 10_000);
  }

  /** How many projects are cached now (bounded by `maxProjects`). */
  get cached(): number {
    return this.#cache.size;
  }

  async get(projectId: string): Promise<EffectiveLimits> {
    const now = this.#o.clock.now();
    const hit = this.#cache.get(projectId);
    if (hit && now < hit.until) return hit.limits;
    const own = (await this.#o.store.getProject(projectId))?.limits ?? {};
    const d = this.#o.defaults;
    const limits: EffectiveLimits = {
      eventsPerSecond: own.eventsPerSecond ?? d.eventsPerSecond,
      maxWebhooks: own.maxWebhooks ?? d.maxWebhooks,
      source: {
        eventsPerSecond: own.eventsPerSecond !== undefined ? 'project' : 'default',
        maxWebhooks: own.maxWebhooks !== undefined ? 'project' : 'default',
      },
    };
    this.#cache.set(projectId, { limits, until: now + this.#ttlMs });
    return limits;
  }
}
