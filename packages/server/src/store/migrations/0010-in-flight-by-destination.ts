import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Leases counted per destination (issue #14): PostgreSQL claims count a destination's in-flight
 * deliveries through this partial index instead of keeping a counter row that every attempt
 * record must update (ADR 0012). Never edit a released migration; add the next one.
 */
export const migration0010: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('deliveries_in_flight')
      .on('deliveries')
      .column('destination_id')
      .where(sql.ref('status'), '=', 'in_flight')
      .execute();
  },
};
