import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * Dynamic (`webhook_config.uris`) deliveries are signed with an RS256 JWT by default, as the Gemini
 * webhooks guide documents (ADR 0009): projects created from now on get `dynamic_signing = 'jwt'`;
 * projects that exist keep the mode they have (their rows already hold it). Also adds
 * `dynamic_audience`, the JWT `aud` a project pins (null: the destination URI).
 *
 * PostgreSQL changes the column default in place. SQLite cannot alter a default, so it copies the
 * column into a new one with the new default, drops the old and renames the new (SQLite ≥ 3.35).
 * Never edit a released migration; add the next one.
 */
export const migration0006: Migration = {
  async up(db: Kysely<unknown>) {
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`ALTER TABLE projects ALTER COLUMN dynamic_signing SET DEFAULT 'jwt'`.execute(db);
    } else {
      await db.schema
        .alterTable('projects')
        .addColumn('dynamic_signing_next', 'text', (c) => c.notNull().defaultTo('jwt'))
        .execute();
      await sql`UPDATE projects SET dynamic_signing_next = dynamic_signing`.execute(db);
      await db.schema.alterTable('projects').dropColumn('dynamic_signing').execute();
      await db.schema.alterTable('projects').renameColumn('dynamic_signing_next', 'dynamic_signing').execute();
    }
    await db.schema.alterTable('projects').addColumn('dynamic_audience', 'text').execute();
  },
};
