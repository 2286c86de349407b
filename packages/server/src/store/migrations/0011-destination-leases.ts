import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * PostgreSQL: `herald_destination_leases(destinations)` counts the leases of each of these
 * destinations with a snapshot of its own. A statement that locks destination rows
 * (`FOR UPDATE SKIP LOCKED`) and counts their leases in the same statement would count them as of
 * the statement's start: a claim that committed leases there and released a row in between would
 * be missed, and the cap passed. A VOLATILE function takes a fresh snapshot for each query it runs,
 * so called once the rows are locked (as the one-statement claim and direct leases do) it sees
 * every lease committed before the locks were granted. One call per statement, for all its
 * destinations. SQLite has one writer and needs nothing.
 */
export const migration0011: Migration = {
  async up(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`CREATE FUNCTION herald_destination_leases(dests text[])
      RETURNS TABLE (destination_id text, leases int) LANGUAGE sql VOLATILE AS $$
        SELECT d.id, (SELECT count(*) FROM deliveries x
                      WHERE x.destination_id = d.id AND x.status = 'in_flight')::int
        FROM unnest(dests) AS d(id)
      $$`.execute(db);
  },
};
