import { BASE36_LOWER, randomString } from '../kernel/random-id.js';
import { notFound } from '../kernel/domain-errors.js';
import type { WebhookRecord } from '../model/records.js';
import type { WebhookService } from './webhook-service.js';
import { isListenerUri, LISTEN_SCHEME, type ListenerHub } from './listener-hub.js';

export interface ListenerServiceDeps {
  hub: ListenerHub;
  webhooks: WebhookService;
  /** A listener nobody is connected to is deleted after this long (real time). Default 10 min. */
  idleMs?: number;
}

/** A listener as the API returns it; `secret` only in the answer to create. */
export interface ListenerView {
  id: string;
  uri: string;
  name: string;
  subscribed_events: string[];
  state: string;
  connected: boolean;
  create_time: string;
  secret?: string;
}

/**
 * `herald listen` destinations. A listener IS a static webhook (same id, signing secret, events,
 * deliveries, retries, replay and health), whose URI is `herald-listen://lst_…`: the engine hands
 * its deliveries to the {@link ListenerHub} instead of sending them over HTTP. Such URIs exist only
 * through `create` (the webhooks API accepts http(s) URIs only). A listener nobody has been
 * connected to for `idleMs` (a `herald listen` that crashed) is deleted.
 */
export class ListenerService {
  readonly #d: ListenerServiceDeps;
  readonly #idle = new Map<string, { projectId: string; id: string; timer: NodeJS.Timeout | undefined }>();
  readonly #unsubscribe: () => void;

  constructor(deps: ListenerServiceDeps) {
    this.#d = deps;
    this.#unsubscribe = deps.hub.onChange((uri, connected) => {
      const entry = this.#idle.get(uri);
      if (!entry) return;
      clearTimeout(entry.timer);
      entry.timer = connected ? undefined : this.#arm(uri, entry.projectId, entry.id);
    });
  }

  get hub(): ListenerHub {
    return this.#d.hub;
  }

  #arm(uri: string, projectId: string, id: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#idle.delete(uri);
      if (this.#d.hub.isConnected(uri)) return;
      this.#d.webhooks.delete(projectId, id).catch(() => undefined);
    }, this.#d.idleMs ?? 600_000);
    timer.unref();
    return timer;
  }

  #present(w: WebhookRecord, secret?: string): ListenerView {
    return {
      id: w.id,
      uri: w.uri,
      name: w.name,
      subscribed_events: w.subscribedEvents,
      state: w.state,
      connected: this.#d.hub.isConnected(w.uri),
      create_time: new Date(w.createdAt).toISOString(),
      ...(secret !== undefined ? { secret } : {}),
    };
  }

  /** Registers a listener for `events` (validated by the caller); returns it with its secret, once. */
  async create(projectId: string, input: { name: string; events: string[] }): Promise<ListenerView> {
    const uri = `${LISTEN_SCHEME}lst_${randomString(BASE36_LOWER, 24)}`;
    const { webhook, secret } = await this.#d.webhooks.create(projectId, {
      name: input.name,
      uri,
      subscribedEvents: input.events,
    });
    this.#idle.set(uri, { projectId, id: webhook.id, timer: this.#arm(uri, projectId, webhook.id) });
    return this.#present(webhook, secret);
  }

  /** The listener's webhook; NOT_FOUND for an unknown id or a webhook that is not a listener. */
  async get(projectId: string, id: string): Promise<WebhookRecord> {
    let w: WebhookRecord;
    try {
      w = await this.#d.webhooks.get(projectId, id);
    } catch {
      throw notFound(
        `listener "${id}" not found: it was deleted (Ctrl-C, or idle too long); start \`herald listen\` again`,
      );
    }
    if (!isListenerUri(w.uri))
      throw notFound(`listener "${id}" not found: webhook ${id} is not a herald listen destination`);
    return w;
  }

  /** Watches a listener made by an earlier process too (its stream just opened), for idle deletion. */
  track(projectId: string, w: WebhookRecord): void {
    if (!this.#idle.has(w.uri)) this.#idle.set(w.uri, { projectId, id: w.id, timer: undefined });
  }

  async view(projectId: string, id: string): Promise<ListenerView> {
    return this.#present(await this.get(projectId, id));
  }

  /** Removes the listener (its webhook; pending deliveries are cancelled) and ends its stream. */
  async delete(projectId: string, id: string): Promise<void> {
    const w = await this.get(projectId, id);
    await this.#d.webhooks.delete(projectId, id);
    const entry = this.#idle.get(w.uri);
    clearTimeout(entry?.timer);
    this.#idle.delete(w.uri);
    this.#d.hub.drop(w.uri);
  }

  close(): void {
    this.#unsubscribe();
    for (const e of this.#idle.values()) clearTimeout(e.timer);
    this.#idle.clear();
    this.#d.hub.closeAll();
  }
}
