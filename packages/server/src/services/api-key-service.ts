import { hashApiKey, newApiKey } from '../keys/api-key.js';
import type { Clock } from '../kernel/clock.js';
import { failedPrecondition, invalidArgument, notFound } from '../kernel/domain-errors.js';
import { sortableId } from '../kernel/sortable-id.js';
import type { ApiKeyRecord } from '../model/records.js';
import type { ApiKeyRepo } from '../ports/api-key-repo.js';

/** How much of a key is kept in clear to recognise it: `hk_` and four characters. */
export const API_KEY_PREFIX_LENGTH = 7;

/** Who a key belongs to, once authenticated. */
export interface KeyIdentity {
  projectId: string;
  keyId: string;
}

/**
 * A project's API keys: minted once (only the SHA-256 is stored), listed as metadata, revoked at
 * once, and looked up by hash to authenticate a request (never compared in clear).
 *
 * @example
 * const { key } = await apiKeys.create('default', { name: 'ci' });   // shown once
 * const who = await apiKeys.authenticate(key);                        // { projectId, keyId }
 */
export class ApiKeyService {
  readonly #keys: ApiKeyRepo;
  readonly #clock: Clock;

  constructor(deps: { keys: ApiKeyRepo; clock: Clock }) {
    this.#keys = deps.keys;
    this.#clock = deps.clock;
  }

  /** A new key for the project; the key itself is in this answer only. */
  async create(projectId: string, input: { name?: string }): Promise<{ record: ApiKeyRecord; key: string }> {
    const name = (input.name ?? '').trim();
    if (name.length > 200) throw invalidArgument('name must be at most 200 characters', 'name');
    const now = this.#clock.now();
    const key = newApiKey();
    const record: ApiKeyRecord = {
      id: sortableId('key_', now),
      projectId,
      name,
      prefix: key.slice(0, API_KEY_PREFIX_LENGTH),
      createdAt: now,
      revokedAt: null,
    };
    await this.#keys.addApiKey(record, hashApiKey(key));
    return { record, key };
  }

  /** Every key of the project, revoked ones too, oldest first (metadata only). */
  list(projectId: string): Promise<ApiKeyRecord[]> {
    return this.#keys.listApiKeys(projectId);
  }

  /**
   * Revokes the key now. Refuses the key making the request (`callerKeyId`) unless `force`, so
   * nobody locks themselves out by accident.
   */
  async revoke(projectId: string, id: string, opts: { callerKeyId?: string | undefined; force: boolean }) {
    if (opts.callerKeyId === id && !opts.force) {
      throw failedPrecondition(
        `API key "${id}" is the key making this request: revoking it would lock this client out. ` +
          'Revoke it with another key, or pass force=true (herald keys revoke --force) if that is what you want',
      );
    }
    const revoked = await this.#keys.revokeApiKey(projectId, id, this.#clock.now());
    if (!revoked) throw notFound(`API key "${id}" not found`);
    return revoked;
  }

  /** The project and key id of a valid (unrevoked) key, or undefined. */
  authenticate(key: string): Promise<KeyIdentity | undefined> {
    return this.#keys.findApiKey(hashApiKey(key));
  }

  /** As `authenticate`, from the key's SHA-256 (a dashboard session keeps only the hash). */
  authenticateHash(hash: string): Promise<KeyIdentity | undefined> {
    return this.#keys.findApiKey(hash);
  }
}
