import type { SqliteCommits } from './commits.js';
import type { SqliteDatabase } from './open-database.js';
import type { SecretsCache } from './secrets-cache.js';

/** What every SQLite port shares: the database, how it commits, and the engine's wake-up. */
export interface SqliteContext {
  readonly db: SqliteDatabase;
  readonly commits: SqliteCommits;
  /** Webhooks' signing secrets, for the signer; writers of `webhook_secrets` forget what they touch. */
  readonly secrets: SecretsCache;
  /** Calls the `subscribe` listeners: a commit may have made a delivery due. */
  wake(): void;
  /** Adds a listener to `wake`; returns its removal. */
  onWake(listener: () => void): () => void;
}
