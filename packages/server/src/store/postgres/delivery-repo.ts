import type { DeliveryRepo } from '../../ports/delivery-repo.js';
import { toAttempt, toDelivery, type AttemptRow, type DeliveryRow } from '../rows/rows.js';
import { notifyWake } from './channels.js';
import { upsertDestinations } from './emit-event.js';
import type { PgContext } from './pg-context.js';
import { replayWebhookDeliveriesInTx } from './replay.js';

/** Deliveries for the API and the dashboard in PostgreSQL: read, manual retry, replay. */
export function pgDeliveryRepo({ reader, tx }: PgContext): DeliveryRepo {
  return {
    async getDelivery(projectId, id) {
      return tx(async (t) => {
        const row = await t.one<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1 AND project_id = $2', [
          id,
          projectId,
        ]);
        if (!row) return undefined;
        const attempts = await t.rows<AttemptRow>('SELECT * FROM attempts WHERE delivery_id = $1 ORDER BY number', [
          id,
        ]);
        return { delivery: toDelivery(row), attempts: attempts.map(toAttempt) };
      });
    },
    async listDeliveries(projectId, f) {
      const where = ['project_id = $1'];
      const args: unknown[] = [projectId];
      const add = (clause: string, value: unknown) => {
        args.push(value);
        where.push(clause.replace('?', `$${args.length}`));
      };
      if (f.status) add('status = ?', f.status);
      if (f.webhookId) add('webhook_id = ?', f.webhookId);
      if (f.eventId) add('event_id = ?', f.eventId);
      if (f.beforeId) add('id < ?', f.beforeId);
      args.push(f.pageSize);
      const rows = await reader.rows<DeliveryRow>(
        `SELECT * FROM deliveries WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${args.length}`,
        args,
      );
      return rows.map(toDelivery);
    },
    /** Makes a delivery due now for one manual attempt; a delivery in flight is left alone. */
    async retryDelivery(projectId, id, now) {
      return tx(async (t) => {
        const row = await t.one<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1 AND project_id = $2 FOR UPDATE', [
          id,
          projectId,
        ]);
        if (!row) return undefined;
        if (row.status === 'in_flight') return toDelivery(row);
        const updated = await t.one<DeliveryRow>(
          `UPDATE deliveries SET status = 'pending', status_reason = NULL, next_attempt_at = $1, next_trigger = 'manual', updated_at = $1
           WHERE id = $2 RETURNING *`,
          [now, id],
        );
        await upsertDestinations(t, projectId, [row.destination_id], now);
        notifyWake(t, 'retry');
        return toDelivery(updated!);
      });
    },
    async replayWebhookDeliveries(input) {
      return tx((t) => replayWebhookDeliveriesInTx(t, input));
    },
  };
}
