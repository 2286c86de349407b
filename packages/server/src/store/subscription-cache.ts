/** A static webhook an event is fanned out to. */
export interface SubscribedWebhook {
  webhookId: string;
  uri: string;
}

/** One enabled webhook as the subscription query returns it (`generation` repeated on each row). */
export interface SubscriptionRow {
  generation: number;
  id: string | null;
  uri: string | null;
  subscribed_events: string | null;
}

/**
 * The query that fills the cache: a project's enabled webhooks, in creation order, together with
 * the project's webhook generation read in the same statement (one snapshot). The LEFT JOIN keeps
 * one row (with null webhook columns) for a project without webhooks. `$1` is the project id
 * (the SQLite store renames it to a named parameter).
 */
export const SUBSCRIPTIONS_SQL = `SELECT g.generation AS generation, w.id AS id, w.uri AS uri, w.subscribed_events AS subscribed_events
  FROM (SELECT coalesce((SELECT generation FROM webhook_generations WHERE project_id = $1), 0) AS generation) g
  LEFT JOIN webhooks w ON w.project_id = $1 AND w.state = 'enabled'
  ORDER BY w.created_at, w.id`;

/** The cheap check done on every emit: the project's current webhook generation (none: 0). */
export const GENERATION_SQL = 'SELECT generation FROM webhook_generations WHERE project_id = $1';

interface Entry {
  generation: number;
  byType: Map<string, SubscribedWebhook[]>;
}

/**
 * Who subscribes to what, per project, in memory. Emitting an event used to read every enabled
 * webhook of the project and parse its `subscribed_events` (ingest fell from 634 to 108 req/s
 * with 1,243 webhooks, docs/benchmarks.md); now it reads one generation number and looks the
 * event type up in a map.
 *
 * Correctness does not depend on anyone remembering to invalidate: database triggers draw a new
 * `webhook_generations.generation` in the same transaction as any insert, delete, or change of
 * a webhook's `uri`, `state` or `subscribed_events` (migration 0005), so an entry is used only
 * while its generation is the committed one, in this process and in every other one sharing the
 * database. Bounded: the least recently used project is dropped beyond `maxProjects`.
 */
export class SubscriptionCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxProjects: number;

  constructor(maxProjects = 10_000) {
    this.#maxProjects = maxProjects;
  }

  /** The webhooks subscribed to `type`, if the cached entry is at `generation`. */
  lookup(projectId: string, generation: number, type: string): SubscribedWebhook[] | undefined {
    const entry = this.#entries.get(projectId);
    if (entry?.generation !== generation) return undefined;
    // Refresh its place in the LRU order.
    this.#entries.delete(projectId);
    this.#entries.set(projectId, entry);
    return entry.byType.get(type) ?? [];
  }

  /** Replaces the project's entry with what `SUBSCRIPTIONS_SQL` returned; answers for `type`. */
  fill(projectId: string, rows: readonly SubscriptionRow[], type: string): SubscribedWebhook[] {
    const byType = new Map<string, SubscribedWebhook[]>();
    for (const r of rows) {
      if (r.id === null || r.uri === null || r.subscribed_events === null) continue;
      const hook = { webhookId: r.id, uri: r.uri };
      for (const t of new Set(JSON.parse(r.subscribed_events) as string[])) {
        const list = byType.get(t);
        if (list) list.push(hook);
        else byType.set(t, [hook]);
      }
    }
    this.#entries.delete(projectId);
    this.#entries.set(projectId, { generation: rows[0]?.generation ?? 0, byType });
    if (this.#entries.size > this.#maxProjects) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return byType.get(type) ?? [];
  }

  get size(): number {
    return this.#entries.size;
  }
}

const caches = new WeakMap<object, SubscriptionCache>();

/** The cache of one database (keyed by its connection or pool object). */
export function subscriptionCacheFor(database: object): SubscriptionCache {
  let cache = caches.get(database);
  if (!cache) {
    cache = new SubscriptionCache();
    caches.set(database, cache);
  }
  return cache;
}
