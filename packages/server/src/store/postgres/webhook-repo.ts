import type { RotateInput, SecretRecord, WebhookPatch, WebhookRecord } from '../../model/records.js';
import { toSecret, toWebhook, type SecretRow, type WebhookRow } from '../rows/rows.js';
import { cancelPendingForWebhook } from './complete-attempt.js';
import type { Tx } from './pg-database.js';

/**
 * Webhook CRUD for PostgreSQL; the writers run inside the store's transaction. Secrets created in
 * the same millisecond are ordered by physical position (`ctid`): a rotation updates the older
 * ones before inserting the new one, which therefore sorts first.
 */
export async function secretsOf(tx: Pick<Tx, 'rows'>, webhookId: string, now: number): Promise<SecretRecord[]> {
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

export async function insertWebhook(tx: Tx, w: WebhookRecord): Promise<void> {
  await tx.run(
    `INSERT INTO webhooks (id, project_id, name, uri, subscribed_events, state, created_at, updated_at, last_success_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      w.id,
      w.projectId,
      w.name,
      w.uri,
      JSON.stringify(w.subscribedEvents),
      w.state,
      w.createdAt,
      w.updatedAt,
      w.lastSuccessAt,
    ],
  );
  for (const s of w.secrets) await insertSecret(tx, w.id, s);
}

export async function selectWebhook(
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

export async function selectWebhooks(
  tx: Pick<Tx, 'rows'>,
  projectId: string,
  page: { pageSize: number; after?: { createdAt: number; id: string } },
  now: number,
): Promise<WebhookRecord[]> {
  const after = page.after ?? { createdAt: -1, id: '' };
  const rows = await tx.rows<WebhookRow>(
    `SELECT * FROM webhooks WHERE project_id = $1 AND (created_at > $2 OR (created_at = $2 AND id > $3))
     ORDER BY created_at, id LIMIT $4`,
    [projectId, after.createdAt, after.id, page.pageSize],
  );
  const out: WebhookRecord[] = [];
  for (const r of rows) out.push(toWebhook(r, await secretsOf(tx, r.id, now)));
  return out;
}

export async function patchWebhook(
  tx: Tx,
  projectId: string,
  id: string,
  patch: WebhookPatch,
  now: number,
): Promise<WebhookRecord | undefined> {
  const before = await selectWebhook(tx, projectId, id, now, true);
  if (!before) return undefined;
  const after: WebhookRecord = {
    ...before,
    name: patch.name ?? before.name,
    uri: patch.uri ?? before.uri,
    subscribedEvents: patch.subscribedEvents ?? before.subscribedEvents,
    state: patch.state ?? before.state,
    updatedAt: now,
  };
  await tx.run(
    'UPDATE webhooks SET name = $1, uri = $2, subscribed_events = $3, state = $4, updated_at = $5 WHERE id = $6',
    [after.name, after.uri, JSON.stringify(after.subscribedEvents), after.state, now, id],
  );
  if (before.state === 'enabled' && after.state !== 'enabled')
    await cancelPendingForWebhook(tx, id, 'webhook_disabled', now);
  if (before.uri !== after.uri) {
    await tx.run(`UPDATE deliveries SET uri = $1 WHERE webhook_id = $2 AND status IN ('pending', 'in_flight')`, [
      after.uri,
      id,
    ]);
  }
  return after;
}

export async function removeWebhook(tx: Tx, projectId: string, id: string, now: number): Promise<boolean> {
  const changes = await tx.run('DELETE FROM webhooks WHERE id = $1 AND project_id = $2', [id, projectId]);
  if (changes > 0) await cancelPendingForWebhook(tx, id, 'webhook_deleted', now);
  return changes > 0;
}

export async function rotate(
  tx: Tx,
  projectId: string,
  id: string,
  input: RotateInput,
  now: number,
): Promise<WebhookRecord | undefined> {
  const exists = await tx.one('SELECT 1 FROM webhooks WHERE id = $1 AND project_id = $2 FOR UPDATE', [id, projectId]);
  if (!exists) return undefined;
  if (input.behavior === 'revoke_previous_secrets_immediately') {
    await tx.run('DELETE FROM webhook_secrets WHERE webhook_id = $1', [id]);
  } else {
    // Each older secret keeps the earlier of its own expiry and the new overlap end.
    await tx.run(
      `UPDATE webhook_secrets SET expire_at = CASE WHEN expire_at IS NULL OR expire_at > $1 THEN $1 ELSE expire_at END
       WHERE webhook_id = $2`,
      [input.previousExpireAt, id],
    );
    await tx.run('DELETE FROM webhook_secrets WHERE webhook_id = $1 AND expire_at <= $2', [id, now]);
  }
  await insertSecret(tx, id, input.secret);
  await tx.run('UPDATE webhooks SET updated_at = $1 WHERE id = $2', [now, id]);
  return selectWebhook(tx, projectId, id, now);
}
