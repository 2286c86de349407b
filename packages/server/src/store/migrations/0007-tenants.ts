import type { Kysely, Migration } from 'kysely';

/**
 * Tenants (issue #13): admin keys (instance-wide, stored by SHA-256 like project keys, so every
 * process of a fleet accepts the same admin key), and per-project branding (the portal) and limits
 * (ingest rate, webhook cap; null: the instance default), and the portal's one-time links.
 * Never edit a released migration; add the next one.
 */
export const migration0007: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('admin_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.alterTable('projects').addColumn('logo_uri', 'text').execute();
    await db.schema.alterTable('projects').addColumn('accent_color', 'text').execute();
    await db.schema.alterTable('projects').addColumn('events_per_second', 'integer').execute();
    await db.schema.alterTable('projects').addColumn('max_webhooks', 'integer').execute();
    // One-time magic links into a project's consumer portal (stored by SHA-256, used once).
    await db.schema
      .createTable('portal_links')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expire_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();
    await db.schema.createIndex('projects_created').on('projects').columns(['created_at', 'id']).execute();
  },
};
