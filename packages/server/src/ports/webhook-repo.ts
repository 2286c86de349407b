import type { EpochMs, RotateInput, SecretRecord, WebhookPatch, WebhookRecord } from '../model/records.js';

/** Static webhooks and their signing secrets. */
export interface WebhookRepo {
  /**
   * Inserts the webhook; with `maxWebhooks`, only while its project has fewer (counted in the same
   * transaction, so concurrent creates cannot overshoot): false when it has that many already.
   */
  createWebhook(webhook: WebhookRecord, maxWebhooks?: number): Promise<boolean>;
  /** How many webhooks the project has (every state). */
  countWebhooks(projectId: string): Promise<number>;
  getWebhook(projectId: string, id: string, now: EpochMs): Promise<WebhookRecord | undefined>;
  listWebhooks(
    projectId: string,
    page: { pageSize: number; after?: { createdAt: EpochMs; id: string } },
    now: EpochMs,
  ): Promise<WebhookRecord[]>;
  /** Applies the patch; pending deliveries are cancelled when the webhook leaves `enabled`. */
  updateWebhook(projectId: string, id: string, patch: WebhookPatch, now: EpochMs): Promise<WebhookRecord | undefined>;
  /** Deletes the webhook and cancels its pending deliveries. */
  deleteWebhook(projectId: string, id: string, now: EpochMs): Promise<boolean>;
  rotateSecret(projectId: string, id: string, input: RotateInput, now: EpochMs): Promise<WebhookRecord | undefined>;
  /** Unexpired secrets of a webhook, newest first, for signing an attempt. */
  activeSecrets(webhookId: string, now: EpochMs): Promise<SecretRecord[]>;
}
