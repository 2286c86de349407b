import type { AdminKeyRecord, EpochMs } from '../model/records.js';

/** Admin keys (instance-wide): stored by hash only, shared by every process of a fleet. */
export interface AdminKeyRepo {
  /** Adds the key unless its hash exists (processes starting together both try: one wins). */
  addAdminKey(key: AdminKeyRecord, hash: string): Promise<void>;
  /** The key's id when the hash belongs to an unrevoked admin key. */
  findAdminKey(hash: string): Promise<{ keyId: string } | undefined>;
  /** Every admin key, revoked ones too, oldest first (metadata only). */
  listAdminKeys(): Promise<AdminKeyRecord[]>;
  /** Revokes the key; false when there is no such unrevoked key. */
  revokeAdminKey(id: string, now: EpochMs): Promise<boolean>;
}
