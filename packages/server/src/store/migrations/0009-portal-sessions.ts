import type { Kysely, Migration } from 'kysely';

/**
 * Consumer-portal sessions (issue #13): a portal link opens one; its 256-bit secret travels in the
 * URL path and only its SHA-256 is stored, with the project and a sliding expiry.
 * Never edit a released migration; add the next one.
 */
export const migration0009: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('portal_sessions')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expire_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('portal_sessions_expire').on('portal_sessions').column('expire_at').execute();
  },
};
