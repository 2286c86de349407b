import type { SecretRecord, WebhookRecord } from '../../model/records.js';
import type { WebhookRepo } from '../../ports/webhook-repo.js';
import { toSecret, toWebhook, webhookInsertParams, type SecretRow, type WebhookRow } from '../rows/rows.js';
import { applyWebhookPatch } from '../shared/webhook-patch.js';
import { cancelPendingForWebhook } from './complete-attempt.js';
import type { SqliteDatabase } from './open-database.js';
import type { SqliteContext } from './sqlite-context.js';

/** Unexpired secrets of a webhook, newest first (same millisecond: the later insert first). */
function secretsOf(db: SqliteDatabase, webhookId: string, now: number): SecretRecord[] {
  return db
    .prepare<[string, number], SecretRow>(
      `SELECT * FROM webhook_secrets WHERE webhook_id = ? AND (expire_at IS NULL OR expire_at > ?)
       ORDER BY created_at DESC, rowid DESC`,
    )
    .all(webhookId, now)
    .map(toSecret);
}

function insertSecret(db: SqliteDatabase, webhookId: string, s: SecretRecord): void {
  db.prepare(
    'INSERT INTO webhook_secrets (id, webhook_id, sealed, truncated, created_at, expire_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(s.id, webhookId, s.sealed, s.truncated, s.createdAt, s.expireAt);
}

function selectWebhook(db: SqliteDatabase, projectId: string, id: string, now: number): WebhookRecord | undefined {
  const row = db
    .prepare<[string, string], WebhookRow>('SELECT * FROM webhooks WHERE id = ? AND project_id = ?')
    .get(id, projectId);
  return row ? toWebhook(row, secretsOf(db, row.id, now)) : undefined;
}

function countIn(db: SqliteDatabase, projectId: string): number {
  return db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM webhooks WHERE project_id = ?').get(projectId)!
    .n;
}

/** Static webhooks and their secrets in SQLite; every write is one transaction. */
export function sqliteWebhookRepo({ db, commits, secrets }: SqliteContext): WebhookRepo {
  return {
    async createWebhook(w, maxWebhooks) {
      return commits.tx(() => {
        if (maxWebhooks !== undefined && countIn(db, w.projectId) >= maxWebhooks) return false;
        db.prepare(
          `INSERT INTO webhooks (id, project_id, name, uri, subscribed_events, state, created_at, updated_at, last_success_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(...webhookInsertParams(w));
        secrets.forget(w.id);
        for (const s of w.secrets) insertSecret(db, w.id, s);
        return true;
      });
    },
    async countWebhooks(projectId) {
      return countIn(db, projectId);
    },
    async getWebhook(projectId, id, now) {
      return selectWebhook(db, projectId, id, now);
    },
    async listWebhooks(projectId, page, now) {
      const after = page.after ?? { createdAt: -1, id: '' };
      return commits.tx(() =>
        db
          .prepare<[string, number, number, string, number], WebhookRow>(
            `SELECT * FROM webhooks WHERE project_id = ? AND (created_at > ? OR (created_at = ? AND id > ?))
             ORDER BY created_at, id LIMIT ?`,
          )
          .all(projectId, after.createdAt, after.createdAt, after.id, page.pageSize)
          .map((r) => toWebhook(r, secretsOf(db, r.id, now))),
      );
    },
    async updateWebhook(projectId, id, patch, now) {
      return commits.tx(() => {
        const before = selectWebhook(db, projectId, id, now);
        if (!before) return undefined;
        const after = applyWebhookPatch(before, patch, now);
        db.prepare(
          'UPDATE webhooks SET name = ?, uri = ?, subscribed_events = ?, state = ?, updated_at = ? WHERE id = ?',
        ).run(after.name, after.uri, JSON.stringify(after.subscribedEvents), after.state, now, id);
        if (before.state === 'enabled' && after.state !== 'enabled') {
          cancelPendingForWebhook(db, id, 'webhook_disabled', now);
        }
        if (before.uri !== after.uri) {
          db.prepare(`UPDATE deliveries SET uri = ? WHERE webhook_id = ? AND status IN ('pending', 'in_flight')`).run(
            after.uri,
            id,
          );
        }
        return after;
      });
    },
    async deleteWebhook(projectId, id, now) {
      return commits.tx(() => {
        const changes = db.prepare('DELETE FROM webhooks WHERE id = ? AND project_id = ?').run(id, projectId).changes;
        secrets.forget(id);
        if (changes > 0) cancelPendingForWebhook(db, id, 'webhook_deleted', now);
        return changes > 0;
      });
    },
    async rotateSecret(projectId, id, input, now) {
      return commits.tx(() => {
        const exists = db.prepare('SELECT 1 FROM webhooks WHERE id = ? AND project_id = ?').get(id, projectId);
        if (!exists) return undefined;
        secrets.forget(id);
        if (input.behavior === 'revoke_previous_secrets_immediately') {
          db.prepare('DELETE FROM webhook_secrets WHERE webhook_id = ?').run(id);
        } else {
          // Each older secret keeps the earlier of its own expiry and the new overlap end.
          db.prepare(
            `UPDATE webhook_secrets SET expire_at = CASE WHEN expire_at IS NULL OR expire_at > ? THEN ? ELSE expire_at END
             WHERE webhook_id = ?`,
          ).run(input.previousExpireAt, input.previousExpireAt, id);
          db.prepare('DELETE FROM webhook_secrets WHERE webhook_id = ? AND expire_at <= ?').run(id, now);
        }
        insertSecret(db, id, input.secret);
        db.prepare('UPDATE webhooks SET updated_at = ? WHERE id = ?').run(now, id);
        return selectWebhook(db, projectId, id, now);
      });
    },
    async activeSecrets(webhookId, now) {
      return secrets.active(webhookId, now, () => secretsOf(db, webhookId, Number.MIN_SAFE_INTEGER));
    },
  };
}
