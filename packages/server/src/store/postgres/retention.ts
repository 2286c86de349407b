import type { RetentionPort } from '../../ports/retention-port.js';
import { eventIdBound } from '../../kernel/sortable-id.js';
import type { PgContext } from './pg-context.js';

/** Retention in PostgreSQL: one batch per transaction, safe with several processes purging at once. */
export function pgRetention({ tx }: PgContext): RetentionPort {
  return {
    /**
     * Candidate events are taken `FOR UPDATE SKIP LOCKED`, so processes purging at once split the
     * work; their deliveries are then locked and checked again, and an event that got a pending
     * delivery meanwhile (a replay) is kept. Claims never wait on this: they only touch pending deliveries.
     */
    async purgeBefore({ before, limit }) {
      return tx(async (t) => {
        const candidates = await t.rows<{ id: string }>(
          `SELECT e.id FROM events e WHERE e.id < $1 AND e.created_at < $2
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status IN ('pending', 'in_flight'))
           ORDER BY e.id LIMIT $3 FOR UPDATE SKIP LOCKED`,
          [eventIdBound(before), before, limit],
        );
        if (candidates.length === 0) return { events: 0, deliveries: 0, attempts: 0 };
        const rows = await t.rows<{ id: string; event_id: string; status: string }>(
          'SELECT id, event_id, status FROM deliveries WHERE event_id = ANY($1::text[]) ORDER BY id FOR UPDATE',
          [candidates.map((c) => c.id)],
        );
        const keep = new Set(
          rows.filter((r) => r.status === 'pending' || r.status === 'in_flight').map((r) => r.event_id),
        );
        const events = candidates.map((c) => c.id).filter((id) => !keep.has(id));
        const deliveryIds = rows.filter((r) => !keep.has(r.event_id)).map((r) => r.id);
        const attempts = await t.run('DELETE FROM attempts WHERE delivery_id = ANY($1::text[])', [deliveryIds]);
        const deliveries = await t.run('DELETE FROM deliveries WHERE id = ANY($1::text[])', [deliveryIds]);
        const deleted = await t.run('DELETE FROM events WHERE id = ANY($1::text[])', [events]);
        return { events: deleted, deliveries, attempts };
      });
    },
  };
}
