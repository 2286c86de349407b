import type { Clock } from '../kernel/clock.js';
import { failedPrecondition, notFound } from '../kernel/domain-errors.js';
import type { AttemptRecord, DeliveryFilter, DeliveryRecord, WebhookRecord } from '../model/records.js';
import type { DeliveryRepo } from '../ports/delivery-repo.js';
import type { EventLog } from '../ports/event-log.js';
import type { WebhookRepo } from '../ports/webhook-repo.js';

/** The ports a delivery's API side reads: the deliveries, and the webhook and event of one. */
export type DeliveryServicePorts = DeliveryRepo & Pick<WebhookRepo, 'getWebhook'> & Pick<EventLog, 'getEvent'>;

/**
 * Deliveries as people see them: list, get with attempts, and a manual retry. The retry rule
 * lives here once, for the API and the dashboard alike.
 *
 * @example
 * const d = await deliveries.retry('default', 'dlv_01J…');   // due now, trigger "manual"
 */
export class DeliveryService {
  readonly #repo: DeliveryServicePorts;
  readonly #clock: Clock;

  constructor(deps: { deliveries: DeliveryServicePorts; clock: Clock }) {
    this.#repo = deps.deliveries;
    this.#clock = deps.clock;
  }

  /** Newest first; `filter.beforeId` continues a page. */
  list(projectId: string, filter: DeliveryFilter): Promise<DeliveryRecord[]> {
    return this.#repo.listDeliveries(projectId, filter);
  }

  /** The delivery and its attempts, oldest attempt first. */
  async get(projectId: string, id: string): Promise<{ delivery: DeliveryRecord; attempts: AttemptRecord[] }> {
    const found = await this.#repo.getDelivery(projectId, id);
    if (!found) throw notFound(`delivery "${id}" not found`);
    return found;
  }

  /**
   * Everything a delivery's page shows: the delivery, its attempts, its event, its static webhook
   * (undefined when deleted, or for dynamic destinations), and why a retry would be refused.
   */
  async detail(projectId: string, id: string) {
    const { delivery, attempts } = await this.get(projectId, id);
    const now = this.#clock.now();
    const [webhook, event] = await Promise.all([
      delivery.webhookId !== null ? this.#repo.getWebhook(projectId, delivery.webhookId, now) : undefined,
      this.#repo.getEvent(projectId, delivery.eventId),
    ]);
    return { delivery, attempts, webhook, event, retryRefusal: retryRefusal(delivery, webhook) };
  }

  /**
   * Makes the delivery due now for one manual attempt. Refused while an attempt is in flight, and
   * for a static webhook that was deleted or is not enabled (enable it first).
   */
  async retry(projectId: string, id: string): Promise<DeliveryRecord> {
    const { delivery } = await this.get(projectId, id);
    const now = this.#clock.now();
    const webhook =
      delivery.webhookId !== null ? await this.#repo.getWebhook(projectId, delivery.webhookId, now) : undefined;
    const refusal = retryRefusal(delivery, webhook);
    if (refusal !== undefined) throw failedPrecondition(refusal);
    const retried = await this.#repo.retryDelivery(projectId, id, now);
    if (!retried) throw notFound(`delivery "${id}" not found`);
    return retried;
  }
}

/**
 * The retry rule: why a manual retry of `delivery` is refused now, or undefined when it may go.
 * `webhook` is the delivery's static webhook as it is now (undefined when deleted).
 */
export function retryRefusal(delivery: DeliveryRecord, webhook: WebhookRecord | undefined): string | undefined {
  if (delivery.webhookId !== null) {
    if (!webhook) return `webhook "${delivery.webhookId}" of this delivery was deleted; nothing to retry`;
    if (webhook.state !== 'enabled') {
      return `webhook "${webhook.name || webhook.id}" is ${webhook.state}; enable it (state=enabled) before retrying`;
    }
  }
  if (delivery.status === 'in_flight') return 'an attempt is in flight right now; retry after it settles';
  return undefined;
}
