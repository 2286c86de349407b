import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationProvider } from './index.js';
import { openDatabase } from '../sqlite/open-database.js';
import { createScratchDatabase, pgTestAvailability } from '../../testing/pg-scratch.js';

/** Migrates to 0005, adds a project, migrates to the latest, adds another; returns both rows. */
async function upgrade(db: Kysely<unknown>) {
  const migrator = new Migrator({ db, provider: migrationProvider });
  expect((await migrator.migrateTo('0005-webhook-generations')).error).toBeUndefined();
  const insert = (id: string) =>
    db
      .insertInto('projects' as never)
      .values({ id, name: id, created_at: 1 })
      .execute();
  await insert('old');
  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  await insert('new');
  return db
    .selectFrom('projects' as never)
    .select(['id', 'dynamic_signing', 'dynamic_audience'] as never)
    .orderBy('id' as never)
    .execute();
}

const expected = [
  { id: 'new', dynamic_signing: 'jwt', dynamic_audience: null },
  { id: 'old', dynamic_signing: 'v1a', dynamic_audience: null },
];

describe('migration 0006: jwt is the dynamic signing default of new projects only', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('SQLite: an existing project keeps v1a, a new one gets jwt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-0006-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: openDatabase(join(dir, 'h.db')) }) });
    try {
      expect(await upgrade(db)).toEqual(expected);
    } finally {
      await db.destroy();
    }
  });

  it('PostgreSQL: an existing project keeps v1a, a new one gets jwt', async (ctx) => {
    const available = await pgTestAvailability();
    if (!available.ok) return ctx.skip(available.reason);
    const scratch = await createScratchDatabase(available.url, 'herald_m0006');
    cleanups.push(() => scratch.drop());
    const db = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: scratch.url, max: 1 }) }),
    });
    try {
      expect(await upgrade(db)).toEqual(expected);
    } finally {
      await db.destroy();
    }
  });
});
