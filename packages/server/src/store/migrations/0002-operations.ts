import type { Kysely, Migration } from 'kysely';

/**
 * Long-running operations and the files they produce. Same portable choices as 0001: text ids,
 * bigint epoch ms, JSON as text. File bytes are base64 text (`content_b64`) so the one migration
 * serves SQLite and PostgreSQL alike; files here are small (simulated outputs).
 */
export const migration0002: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('operations')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('metadata', 'text', (c) => c.notNull())
      .addColumn('progress', 'text')
      .addColumn('result', 'text')
      .addColumn('error', 'text')
      .addColumn('webhook_config', 'text')
      .addColumn('lease_id', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('heartbeat_at', 'bigint')
      .addColumn('idempotency_key', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('ended_at', 'bigint')
      .addColumn('expire_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('operations_project')
      .on('operations')
      .columns(['project_id', 'created_at', 'name'])
      .execute();
    // Lease scans: pending work of some kinds, and running work whose lease ran out.
    await db.schema
      .createIndex('operations_leasable')
      .on('operations')
      .columns(['kind', 'state', 'lease_until'])
      .execute();
    await db.schema.createIndex('operations_expiry').on('operations').columns(['state', 'expire_at']).execute();
    await db.schema
      .createIndex('operations_idempotency')
      .on('operations')
      .columns(['project_id', 'idempotency_key'])
      .unique()
      .where('idempotency_key', 'is not', null)
      .execute();

    await db.schema
      .createTable('files')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('mime_type', 'text', (c) => c.notNull())
      .addColumn('size_bytes', 'bigint', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('operation', 'text')
      .addColumn('content_b64', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expire_at', 'bigint')
      .execute();
    await db.schema.createIndex('files_project').on('files').columns(['project_id', 'created_at']).execute();
  },
};
