import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * A per-project generation number that changes, in the same transaction, whenever the set of
 * webhooks an event could fan out to changes: a webhook inserted or deleted, or its `uri`,
 * `state` or `subscribed_events` updated. Emitting an event compares it with the generation of
 * the in-memory subscription index (store/subscription-cache.ts) instead of reading and parsing
 * every webhook of the project. Triggers keep it true for every code path and every process;
 * `last_success_at` and `updated_at` writes do not touch it. Each change draws a new random value
 * rather than adding one, so a value seen inside a transaction that later rolled back is never
 * reused by a committed change (a cache filled inside it can never look current again).
 */
export const migration0005: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('webhook_generations')
      .addColumn('project_id', 'text', (c) => c.primaryKey())
      .addColumn('generation', 'bigint', (c) => c.notNull())
      .execute();
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`CREATE FUNCTION herald_bump_webhook_generation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO webhook_generations (project_id, generation)
          VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.project_id ELSE NEW.project_id END,
                  floor(random() * 9007199254740991)::bigint)
          ON CONFLICT (project_id) DO UPDATE SET generation = excluded.generation;
          RETURN NULL;
        END $$`.execute(db);
      await sql`CREATE TRIGGER webhooks_generation
        AFTER INSERT OR DELETE OR UPDATE OF uri, state, subscribed_events, project_id ON webhooks
        FOR EACH ROW EXECUTE FUNCTION herald_bump_webhook_generation()`.execute(db);
      return;
    }
    const bump = (ref: 'NEW' | 'OLD') => `INSERT INTO webhook_generations (project_id, generation)
        VALUES (${ref}.project_id, abs(random() % 9007199254740991))
        ON CONFLICT (project_id) DO UPDATE SET generation = excluded.generation;`;
    await sql
      .raw(`CREATE TRIGGER webhooks_generation_insert AFTER INSERT ON webhooks BEGIN ${bump('NEW')} END`)
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER webhooks_generation_update AFTER UPDATE OF uri, state, subscribed_events, project_id ON webhooks
         BEGIN ${bump('NEW')} END`,
      )
      .execute(db);
    await sql
      .raw(`CREATE TRIGGER webhooks_generation_delete AFTER DELETE ON webhooks BEGIN ${bump('OLD')} END`)
      .execute(db);
  },
};
