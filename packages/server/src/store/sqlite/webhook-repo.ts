import type { RotateInput, SecretRecord, WebhookPatch, WebhookRecord } from '../../model/records.js';
import { cancelPendingForWebhook } from './complete-attempt.js';
import type { SqliteDatabase } from './open-database.js';
import { toSecret, toWebhook, type SecretRow, type WebhookRow } from '../rows/rows.js';

/** Webhook CRUD for SQLite; each function is called inside a transaction by the store. */
export function secretsOf(db: SqliteDatabase, webhookId: string, now: number): SecretRecord[] {
  return db
    .prepare<[string, number], SecretRow>(
      `SELECT * FROM webhook_secrets WHERE webhook_id = ? AND (expire_at IS NULL OR expire_at > ?)
       ORDER BY created_at DESC, rowid DESC`,
    )
    .all(webhookId, now)
    .map(toSecret);
}

export function insertWebhook(db: SqliteDatabase, w: WebhookRecord): void {
  db.prepare(
    `INSERT INTO webhooks (id, project_id, name, uri, subscribed_events, state, created_at, updated_at, last_success_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    w.id,
    w.projectId,
    w.name,
    w.uri,
    JSON.stringify(w.subscribedEvents),
    w.state,
    w.createdAt,
    w.updatedAt,
    w.lastSuccessAt,
  );
  for (const s of w.secrets) insertSecret(db, w.id, s);
}

function insertSecret(db: SqliteDatabase, webhookId: string, s: SecretRecord): void {
  db.prepare(
    'INSERT INTO webhook_secrets (id, webhook_id, sealed, truncated, created_at, expire_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(s.id, webhookId, s.sealed, s.truncated, s.createdAt, s.expireAt);
}

export function selectWebhook(
  db: SqliteDatabase,
  projectId: string,
  id: string,
  now: number,
): WebhookRecord | undefined {
  const row = db
    .prepare<[string, string], WebhookRow>('SELECT * FROM webhooks WHERE id = ? AND project_id = ?')
    .get(id, projectId);
  return row ? toWebhook(row, secretsOf(db, row.id, now)) : undefined;
}

export function selectWebhooks(
  db: SqliteDatabase,
  projectId: string,
  page: { pageSize: number; after?: { createdAt: number; id: string } },
  now: number,
): WebhookRecord[] {
  const after = page.after ?? { createdAt: -1, id: '' };
  return db
    .prepare<[string, number, number, string, number], WebhookRow>(
      `SELECT * FROM webhooks WHERE project_id = ? AND (created_at > ? OR (created_at = ? AND id > ?))
       ORDER BY created_at, id LIMIT ?`,
    )
    .all(projectId, after.createdAt, after.createdAt, after.id, page.pageSize)
    .map((r) => toWebhook(r, secretsOf(db, r.id, now)));
}

export function patchWebhook(
  db: SqliteDatabase,
  projectId: string,
  id: string,
  patch: WebhookPatch,
  now: number,
): WebhookRecord | undefined {
  const before = selectWebhook(db, projectId, id, now);
  if (!before) return undefined;
  const after: WebhookRecord = {
    ...before,
    name: patch.name ?? before.name,
    uri: patch.uri ?? before.uri,
    subscribedEvents: patch.subscribedEvents ?? before.subscribedEvents,
    state: patch.state ?? before.state,
    updatedAt: now,
  };
  db.prepare(
    'UPDATE webhooks SET name = ?, uri = ?, subscribed_events = ?, state = ?, updated_at = ? WHERE id = ?',
  ).run(after.name, after.uri, JSON.stringify(after.subscribedEvents), after.state, now, id);
  if (before.state === 'enabled' && after.state !== 'enabled') cancelPendingForWebhook(db, id, 'webhook_disabled', now);
  if (before.uri !== after.uri) {
    db.prepare(`UPDATE deliveries SET uri = ? WHERE webhook_id = ? AND status IN ('pending', 'in_flight')`).run(
      after.uri,
      id,
    );
  }
  return after;
}

export function removeWebhook(db: SqliteDatabase, projectId: string, id: string, now: number): boolean {
  const changes = db.prepare('DELETE FROM webhooks WHERE id = ? AND project_id = ?').run(id, projectId).changes;
  if (changes > 0) cancelPendingForWebhook(db, id, 'webhook_deleted', now);
  return changes > 0;
}

export function rotate(
  db: SqliteDatabase,
  projectId: string,
  id: string,
  input: RotateInput,
  now: number,
): WebhookRecord | undefined {
  const exists = db.prepare('SELECT 1 FROM webhooks WHERE id = ? AND project_id = ?').get(id, projectId);
  if (!exists) return undefined;
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
}
