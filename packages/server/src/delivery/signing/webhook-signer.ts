import type { SecretBox } from '../../keys/secret-box.js';
import { signV1 } from './sign-v1.js';
import type { ClaimedDelivery } from '../../model/records.js';
import type { WebhookRepo } from '../../ports/webhook-repo.js';
import type { AttemptSigner } from './attempt-signer.js';
import type { Clock } from '../../kernel/clock.js';
import { SigningError } from './signing-error.js';

const MAX_OPENED = 10_000;

/**
 * Signs static-webhook deliveries with Standard Webhooks `v1`: one HMAC signature per
 * unexpired secret of the webhook, newest first, read at attempt time (or with the claim just
 * before it) so a rotation applies to the very next attempt. Opened secrets are cached by their
 * sealed form.
 */
export function createWebhookSigner(deps: { store: WebhookRepo; secretBox: SecretBox; clock: Clock }): AttemptSigner {
  const opened = new Map<string, string>();
  const open = (sealed: string): string => {
    let plain = opened.get(sealed);
    if (plain === undefined) {
      plain = deps.secretBox.open(sealed);
      if (opened.size >= MAX_OPENED) opened.clear();
      opened.set(sealed, plain);
    }
    return plain;
  };

  return {
    async sign(d: ClaimedDelivery, timestampSeconds: number) {
      if (d.destType !== 'webhook' || d.webhookId === null) {
        throw new SigningError(`no signer configured for ${d.destType} destinations`);
      }
      const now = deps.clock.now();
      const secrets = d.secrets
        ? d.secrets.filter((s) => s.expireAt === null || s.expireAt > now)
        : await deps.store.activeSecrets(d.webhookId, now);
      if (secrets.length === 0) {
        throw new SigningError(`webhook ${d.webhookId} has no unexpired signing secret; rotate it`);
      }
      return {
        'webhook-id': d.messageId,
        'webhook-timestamp': String(timestampSeconds),
        'webhook-signature': signV1({
          msgId: d.messageId,
          timestamp: timestampSeconds,
          body: d.body,
          secrets: secrets.map((s) => open(s.sealed)),
        }),
      };
    },
  };
}
