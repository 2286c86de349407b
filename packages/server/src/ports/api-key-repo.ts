import type { ApiKeyRecord, EpochMs } from '../model/records.js';

/** API keys: stored by hash only, never readable again. */
export interface ApiKeyRepo {
  addApiKey(key: ApiKeyRecord, hash: string): Promise<void>;
  hasApiKeyHash(hash: string): Promise<boolean>;
  /** The project and key id for a key hash, when the key exists and is not revoked. */
  findApiKey(hash: string): Promise<{ projectId: string; keyId: string } | undefined>;
  /** Every key of the project (revoked ones too), oldest first; never the hashes. */
  listApiKeys(projectId: string): Promise<ApiKeyRecord[]>;
  /**
   * Revokes the key (`revokedAt = now`; a revoked key stays revoked with its first time) and
   * returns it, or undefined when the project has no such key.
   */
  revokeApiKey(projectId: string, id: string, now: EpochMs): Promise<ApiKeyRecord | undefined>;
}
