import type { SecretRecord, WebhookRecord } from '../../model/records.js';
import type { WebhookRepo } from '../../ports/webhook-repo.js';
import { toSecret, toWebhook, webhookInsertParams, type SecretRow, type WebhookRow } from '../rows/rows.js';
import { applyWebhookPatch } from '../shared/webhook-patch.js';
import { cancelPendingForWebhook } from './complete-attempt.js';
import type { PgContext } from './pg-context.js';
import type { Tx } from './pg-database.js';

/**
 * Unexpired secrets of a webhook, newest first. Secrets created in the same millisecond are
 * ordered by physical position (`ctid`): a rotation updates the older ones before inserting the
 * new one, which therefore sorts first.
 */
async function secretsOf(tx: Pick<Tx, 'rows'>, webhookId: string, now: number): Promise<SecretRecord[]> {
  const rows = await tx.rows<SecretRow>(
    `SELECT * FROM webhook_secrets WHERE webhook_id = $1 AND (expire_at IS NULL OR expire_at > $2)
     ORDER BY created_at DESC, ctid DESC`,
    [webhookId, now],
  );
  return rows.map(toSecret);
}

async function insertSecret(tx: Tx, webhookId: string, s: SecretRecord): Promise<void> {
  await tx.run(
    'INSERT INTO webhook_secrets (id, webhook_id, sealed, truncated, created_at, expire_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [s.id, webhookId, s.sealed, s.truncated, s.createdAt, s.expireAt],
  );
}

async function selectWebhook(
  tx: Pick<Tx, 'rows' | 'one'>,
  projectId: string,
  id: string,
  now: number,
  lock = false,
): Promise<WebhookRecord | undefined> {
  const row = await tx.one<WebhookRow>(
    `SELECT * FROM webhooks WHERE id = $1 AND project_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [id, projectId],
  );
  return row ? toWebhook(row, await secretsOf(tx, row.id, now)) : undefined;
}

/** Static webhooks and their secrets in PostgreSQL; every write is one transaction. */
export function pgWebhookRepo({ reader, tx }: PgContext): WebhookRepo {
  return {
    async createWebhook(w, maxWebhooks) {
      return tx(async (t) => {
        if (maxWebhooks !== undefined) {
          // The project row's lock orders concurrent creates of one project, so the count holds. NO
          // KEY UPDATE does not conflict with the key-share lock an emit's foreign key takes.
          await t.run('SELECT 1 FROM projects WHERE id = $1 FOR NO KEY UPDATE', [w.projectId]);
          const c = await t.one<{ n: string }>('SELECT count(*) AS n FROM webhooks WHERE project_id = $1', [
            w.projectId,
          ]);
          if (Number(c?.n ?? 0) >= maxWebhooks) return false;
        }
        await t.run(
          `INSERT INTO webhooks (id, project_id, name, uri, subscribed_events, state, created_at, updated_at, last_success_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          webhookInsertParams(w),
        );
        for (const s of w.secrets) await insertSecret(t, w.id, s);
        return true;
      });
    },
    async countWebhooks(projectId) {
      const c = await reader.one<{ n: string }>('SELECT count(*) AS n FROM webhooks WHERE project_id = $1', [
        projectId,
      ]);
      return Number(c?.n ?? 0);
    },
    async getWebhook(projectId, id, now) {
      return tx((t) => selectWebhook(t, projectId, id, now));
    },
    async listWebhooks(projectId, page, now) {
      const after = page.after ?? { createdAt: -1, id: '' };
      return tx(async (t) => {
        const rows = await t.rows<WebhookRow>(
          `SELECT * FROM webhooks WHERE project_id = $1 AND (created_at > $2 OR (created_at = $2 AND id > $3))
           ORDER BY created_at, id LIMIT $4`,
          [projectId, after.createdAt, after.id, page.pageSize],
        );
        const out: WebhookRecord[] = [];
        for (const r of rows) out.push(toWebhook(r, await secretsOf(t, r.id, now)));
        return out;
      });
    },
    async updateWebhook(projectId, id, patch, now) {
      return tx(async (t) => {
        const before = await selectWebhook(t, projectId, id, now, true);
        if (!before) return undefined;
        const after = applyWebhookPatch(before, patch, now);
        await t.run(
          'UPDATE webhooks SET name = $1, uri = $2, subscribed_events = $3, state = $4, updated_at = $5 WHERE id = $6',
          [after.name, after.uri, JSON.stringify(after.subscribedEvents), after.state, now, id],
        );
        if (before.state === 'enabled' && after.state !== 'enabled') {
          await cancelPendingForWebhook(t, id, 'webhook_disabled', now);
        }
        if (before.uri !== after.uri) {
          await t.run(`UPDATE deliveries SET uri = $1 WHERE webhook_id = $2 AND status IN ('pending', 'in_flight')`, [
            after.uri,
            id,
          ]);
        }
        return after;
      });
    },
    async deleteWebhook(projectId, id, now) {
      return tx(async (t) => {
        const changes = await t.run('DELETE FROM webhooks WHERE id = $1 AND project_id = $2', [id, projectId]);
        if (changes > 0) await cancelPendingForWebhook(t, id, 'webhook_deleted', now);
        return changes > 0;
      });
    },
    async rotateSecret(projectId, id, input, now) {
      return tx(async (t) => {
        const exists = await t.one('SELECT 1 FROM webhooks WHERE id = $1 AND project_id = $2 FOR UPDATE', [
          id,
          projectId,
        ]);
        if (!exists) return undefined;
        if (input.behavior === 'revoke_previous_secrets_immediately') {
          await t.run('DELETE FROM webhook_secrets WHERE webhook_id = $1', [id]);
        } else {
          // Each older secret keeps the earlier of its own expiry and the new overlap end.
          await t.run(
            `UPDATE webhook_secrets SET expire_at = CASE WHEN expire_at IS NULL OR expire_at > $1 THEN $1 ELSE expire_at END
             WHERE webhook_id = $2`,
            [input.previousExpireAt, id],
          );
          await t.run('DELETE FROM webhook_secrets WHERE webhook_id = $1 AND expire_at <= $2', [id, now]);
        }
        await insertSecret(t, id, input.secret);
        await t.run('UPDATE webhooks SET updated_at = $1 WHERE id = $2', [now, id]);
        return selectWebhook(t, projectId, id, now);
      });
    },
    async activeSecrets(webhookId, now) {
      return secretsOf(reader, webhookId, now);
    },
  };
}
