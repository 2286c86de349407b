import type { Kysely, Migration } from 'kysely';

/**
 * Initial schema. Portable choices: ids are prefixed text, timestamps are bigint epoch ms,
 * JSON is text, booleans are integers. Never edit a released migration; add the next one.
 */
export const migration0001: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('projects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('event_seq', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();

    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('uri', 'text', (c) => c.notNull())
      .addColumn('subscribed_events', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('last_success_at', 'bigint')
      .execute();
    await db.schema.createIndex('webhooks_project').on('webhooks').columns(['project_id', 'id']).execute();

    await db.schema
      .createTable('webhook_secrets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
      .addColumn('sealed', 'text', (c) => c.notNull())
      .addColumn('truncated', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expire_at', 'bigint')
      .execute();
    await db.schema.createIndex('webhook_secrets_webhook').on('webhook_secrets').columns(['webhook_id']).execute();

    await db.schema
      .createTable('events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('sequence', 'bigint', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('operation', 'text')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text')
      .addColumn('delivery_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('events_project_seq')
      .on('events')
      .columns(['project_id', 'sequence'])
      .unique()
      .execute();
    await db.schema
      .createIndex('events_idempotency')
      .on('events')
      .columns(['project_id', 'idempotency_key'])
      .unique()
      .where('idempotency_key', 'is not', null)
      .execute();

    // One row per destination (a static webhook, or a project's dynamic URI). `next_due_at` is a
    // lower bound of its pending deliveries' next_attempt_at; `in_flight` counts its leases.
    // Claims walk destinations, not deliveries, so one backed-up destination never hides
    // another's due work (see sqlite/claim-due.ts).
    await db.schema
      .createTable('destinations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('in_flight', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_due_at', 'bigint')
      .execute();
    await db.schema.createIndex('destinations_due').on('destinations').columns(['next_due_at']).execute();

    await db.schema
      .createTable('deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull().references('events.id'))
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('destination_id', 'text', (c) => c.notNull())
      .addColumn('dest_type', 'text', (c) => c.notNull())
      .addColumn('webhook_id', 'text')
      .addColumn('uri', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('attempt_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint')
      .addColumn('next_trigger', 'text', (c) => c.notNull().defaultTo('scheduled'))
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('deadline_at', 'bigint', (c) => c.notNull())
      .addColumn('supersede_key', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'text')
      .execute();
    await db.schema
      .createIndex('deliveries_due')
      .on('deliveries')
      .columns(['destination_id', 'status', 'next_attempt_at'])
      .execute();
    await db.schema.createIndex('deliveries_lease').on('deliveries').columns(['status', 'lease_until']).execute();
    await db.schema.createIndex('deliveries_project').on('deliveries').columns(['project_id', 'id']).execute();
    await db.schema.createIndex('deliveries_event').on('deliveries').columns(['event_id']).execute();
    await db.schema.createIndex('deliveries_webhook').on('deliveries').columns(['webhook_id', 'status']).execute();

    await db.schema
      .createTable('attempts')
      .addColumn('delivery_id', 'text', (c) => c.notNull().references('deliveries.id'))
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('duration_ms', 'real', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('response_excerpt', 'text')
      .addPrimaryKeyConstraint('attempts_pk', ['delivery_id', 'number'])
      .execute();
  },
};
