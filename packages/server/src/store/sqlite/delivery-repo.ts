import type { DeliveryRepo } from '../../ports/delivery-repo.js';
import { toAttempt, toDelivery, type AttemptRow, type DeliveryRow } from '../rows/rows.js';
import { replayWebhookDeliveriesInTx } from './replay.js';
import type { SqliteContext } from './sqlite-context.js';

/** Deliveries for the API and the dashboard in SQLite: read, manual retry, replay. */
export function sqliteDeliveryRepo(ctx: SqliteContext): DeliveryRepo {
  const { db, commits } = ctx;
  const row = (projectId: string, id: string) =>
    db
      .prepare<[string, string], DeliveryRow>('SELECT * FROM deliveries WHERE id = ? AND project_id = ?')
      .get(id, projectId);
  return {
    async getDelivery(projectId, id) {
      return commits.tx(() => {
        const r = row(projectId, id);
        if (!r) return undefined;
        const attempts = db
          .prepare<[string], AttemptRow>('SELECT * FROM attempts WHERE delivery_id = ? ORDER BY number')
          .all(id)
          .map(toAttempt);
        return { delivery: toDelivery(r), attempts };
      });
    },
    async listDeliveries(projectId, f) {
      const where = ['project_id = @projectId'];
      if (f.status) where.push('status = @status');
      if (f.webhookId) where.push('webhook_id = @webhookId');
      if (f.eventId) where.push('event_id = @eventId');
      if (f.beforeId) where.push('id < @beforeId');
      const sql = `SELECT * FROM deliveries WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`;
      return db
        .prepare<Record<string, unknown>, DeliveryRow>(sql)
        .all({
          projectId,
          status: f.status,
          webhookId: f.webhookId,
          eventId: f.eventId,
          beforeId: f.beforeId,
          limit: f.pageSize,
        })
        .map(toDelivery);
    },
    /** Makes a delivery due now for one manual attempt; a delivery in flight is left alone. */
    async retryDelivery(projectId, id, now) {
      const d = commits.tx(() => {
        const r = row(projectId, id);
        if (!r) return undefined;
        if (r.status === 'in_flight') return toDelivery(r);
        db.prepare(
          `UPDATE deliveries SET status = 'pending', status_reason = NULL, next_attempt_at = ?, next_trigger = 'manual', updated_at = ?
           WHERE id = ?`,
        ).run(now, now, id);
        db.prepare(
          `INSERT INTO destinations (id, project_id, in_flight, next_due_at) VALUES (?, ?, 0, ?)
           ON CONFLICT (id) DO UPDATE SET next_due_at = min(coalesce(next_due_at, excluded.next_due_at), excluded.next_due_at)`,
        ).run(r.destination_id, projectId, now);
        return toDelivery(db.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE id = ?').get(id)!);
      });
      if (d) ctx.wake();
      return d;
    },
    async replayWebhookDeliveries(input) {
      const r = commits.tx(() => replayWebhookDeliveriesInTx(db, input));
      if (r.status === 'replayed' && r.replayed > 0) ctx.wake();
      return r;
    },
  };
}
