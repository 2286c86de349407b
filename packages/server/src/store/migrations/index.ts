import type { Migration, MigrationProvider } from 'kysely';
import { migration0001 } from './0001-init.js';
import { migration0002 } from './0002-operations.js';
import { migration0003 } from './0003-signing-keys.js';
import { migration0004 } from './0004-partial-delivery-indexes.js';
import { migration0005 } from './0005-webhook-generations.js';
import { migration0006 } from './0006-dynamic-signing-default.js';
import { migration0007 } from './0007-tenants.js';
import { migration0009 } from './0009-portal-sessions.js';
import { migration0010 } from './0010-in-flight-by-destination.js';
import { migration0011 } from './0011-destination-leases.js';

/** Numbered, append-only migrations shared by every dialect. */
export const migrations: Record<string, Migration> = {
  '0001-init': migration0001,
  '0002-operations': migration0002,
  '0003-signing-keys': migration0003,
  '0004-partial-delivery-indexes': migration0004,
  '0005-webhook-generations': migration0005,
  '0006-dynamic-signing-default': migration0006,
  '0007-tenants': migration0007,
  '0009-portal-sessions': migration0009,
  '0010-in-flight-by-destination': migration0010,
  '0011-destination-leases': migration0011,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
