/**
 * `@herald/webhooks/sqlite`: an idempotency store in a SQLite file (Node, `better-sqlite3`).
 * @module
 */

export { createSqliteIdempotencyStore, SqliteIdempotencyStore } from './sqlite-store.js';
export type { SqliteDatabaseLike, SqliteIdempotencyStoreOptions } from './sqlite-store.js';
