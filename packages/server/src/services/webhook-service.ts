import type { WebhookState } from '@herald/contracts';
import { webhookId } from '../kernel/random-id.js';
import type { SecretBox } from '../keys/secret-box.js';
import { newSigningSecret, truncateSecret } from '../keys/signing-secret.js';
import type { Clock } from '../kernel/clock.js';
import { buildEvent } from '../model/build-event.js';
import { sortableId } from '../kernel/sortable-id.js';
import { notFound, ResourceExhausted } from '../kernel/domain-errors.js';
import type { ProjectLimits } from './project-limits.js';
import type { SecretRecord, WebhookPatch, WebhookRecord } from '../model/records.js';
import type { DeliveryRepo } from '../ports/delivery-repo.js';
import type { EventLog } from '../ports/event-log.js';
import type { WebhookRepo } from '../ports/webhook-repo.js';

const H24 = 24 * 3_600_000;

/** The ports webhooks need: their rows, the log a ping is emitted into, and the delivery it made. */
type WebhookServicePorts = WebhookRepo & Pick<EventLog, 'emitEvent'> & Pick<DeliveryRepo, 'listDeliveries'>;

export interface WebhookServiceDeps {
  store: WebhookServicePorts;
  secretBox: SecretBox;
  clock: Clock;
  timeScale: number;
  /** Each project's webhook cap (`limits.max_webhooks` over HERALD_PROJECT_MAX_WEBHOOKS); absent: none. */
  limits?: Pick<ProjectLimits, 'get'>;
}

/** Static webhooks: creation with a secret shown once, updates, rotation, ping. Input is pre-validated. */
export class WebhookService {
  readonly #d: WebhookServiceDeps;

  constructor(deps: WebhookServiceDeps) {
    this.#d = deps;
  }

  #newSecret(now: number): { secret: string; record: SecretRecord } {
    const secret = newSigningSecret();
    return {
      secret,
      record: {
        id: sortableId('sec_', now),
        sealed: this.#d.secretBox.seal(secret),
        truncated: truncateSecret(secret),
        createdAt: now,
        expireAt: null,
      },
    };
  }

  async create(projectId: string, input: { name: string; uri: string; subscribedEvents: string[] }) {
    const now = this.#d.clock.now();
    const { secret, record } = this.#newSecret(now);
    const webhook: WebhookRecord = {
      id: webhookId(),
      projectId,
      name: input.name,
      uri: input.uri,
      subscribedEvents: input.subscribedEvents,
      state: 'enabled',
      createdAt: now,
      updatedAt: now,
      lastSuccessAt: null,
      secrets: [record],
    };
    const limits = await this.#d.limits?.get(projectId);
    const max = limits && limits.maxWebhooks > 0 ? limits.maxWebhooks : undefined;
    if (!(await this.#d.store.createWebhook(webhook, max)) && max !== undefined) {
      const count = await this.#d.store.countWebhooks(projectId);
      const raise =
        limits!.source.maxWebhooks === 'project'
          ? `PATCH /v1beta/projects/${projectId}?update_mask=limits {"limits":{"max_webhooks":…}} (admin key)`
          : `HERALD_PROJECT_MAX_WEBHOOKS, or for this project PATCH /v1beta/projects/${projectId}?update_mask=limits {"limits":{"max_webhooks":…}} (admin key)`;
      throw new ResourceExhausted(
        `project "${projectId}" has ${count} webhooks, the most it may have (limits.max_webhooks = ${max}); delete one or raise the limit: ${raise}`,
      );
    }
    return { webhook, secret };
  }

  async get(projectId: string, id: string): Promise<WebhookRecord> {
    const w = await this.#d.store.getWebhook(projectId, id, this.#d.clock.now());
    if (!w) throw notFound(`webhook "${id}" not found`);
    return w;
  }

  async list(projectId: string, pageSize: number, after?: { createdAt: number; id: string }) {
    return this.#d.store.listWebhooks(projectId, { pageSize, ...(after ? { after } : {}) }, this.#d.clock.now());
  }

  async update(projectId: string, id: string, patch: WebhookPatch): Promise<WebhookRecord> {
    const w = await this.#d.store.updateWebhook(projectId, id, patch, this.#d.clock.now());
    if (!w) throw notFound(`webhook "${id}" not found`);
    return w;
  }

  async delete(projectId: string, id: string): Promise<void> {
    if (!(await this.#d.store.deleteWebhook(projectId, id, this.#d.clock.now())))
      throw notFound(`webhook "${id}" not found`);
  }

  /** New secret returned once; previous ones expire after 24 h (scaled) or at once. */
  async rotate(
    projectId: string,
    id: string,
    behavior: 'revoke_previous_secrets_after_h24' | 'revoke_previous_secrets_immediately',
  ) {
    const now = this.#d.clock.now();
    const { secret, record } = this.#newSecret(now);
    const w = await this.#d.store.rotateSecret(
      projectId,
      id,
      { secret: record, behavior, previousExpireAt: now + Math.ceil(H24 / this.#d.timeScale) },
      now,
    );
    if (!w) throw notFound(`webhook "${id}" not found`);
    return { webhook: w, secret };
  }

  /**
   * Enqueues a signed `webhook.ping` to this webhook, whatever it subscribes to; returns the event
   * and the delivery it made, so the caller can follow that delivery's attempts.
   */
  async ping(projectId: string, id: string) {
    await this.get(projectId, id);
    const ev = buildEvent({
      projectId,
      type: 'webhook.ping',
      data: { id },
      now: this.#d.clock.now(),
      target: { kind: 'webhook', webhookId: id },
      timeScale: this.#d.timeScale,
    });
    const { event } = await this.#d.store.emitEvent(ev);
    const [delivery] = await this.#d.store.listDeliveries(projectId, { eventId: event.id, pageSize: 1 });
    return { event, delivery };
  }

  static isState(s: string): s is WebhookState {
    return s === 'enabled' || s === 'disabled' || s === 'disabled_due_to_failed_deliveries';
  }
}
