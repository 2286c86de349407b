import type { RetentionPort } from '../../ports/retention-port.js';
import { eventIdBound } from '../../kernel/sortable-id.js';
import type { SqliteContext } from './sqlite-context.js';

/** Retention in SQLite: one batch per transaction. */
export function sqliteRetention({ db, commits }: SqliteContext): RetentionPort {
  return {
    /** The oldest events before `before` with no pending or in-flight delivery, their deliveries and attempts. */
    async purgeBefore({ before, limit }) {
      return commits.tx(() => {
        const events = db
          .prepare<[string, number, number], { id: string }>(
            `SELECT e.id FROM events e WHERE e.id < ? AND e.created_at < ?
               AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status IN ('pending', 'in_flight'))
             ORDER BY e.id LIMIT ?`,
          )
          .all(eventIdBound(before), before, limit)
          .map((r) => r.id);
        if (events.length === 0) return { events: 0, deliveries: 0, attempts: 0 };
        const list = JSON.stringify(events);
        const attempts = db
          .prepare(
            `DELETE FROM attempts WHERE delivery_id IN
               (SELECT id FROM deliveries WHERE event_id IN (SELECT value FROM json_each(?)))`,
          )
          .run(list).changes;
        const deliveries = db
          .prepare('DELETE FROM deliveries WHERE event_id IN (SELECT value FROM json_each(?))')
          .run(list).changes;
        const deleted = db.prepare('DELETE FROM events WHERE id IN (SELECT value FROM json_each(?))').run(list).changes;
        return { events: deleted, deliveries, attempts };
      });
    },
  };
}
