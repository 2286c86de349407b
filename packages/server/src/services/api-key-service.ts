import { hashApiKey, newApiKey } from '../keys/api-key.js';
import type { Clock } from '../kernel/clock.js';
import { failedPrecondition, invalidArgument, notFound } from '../kernel/domain-errors.js';
import { sortableId } from '../kernel/sortable-id.js';
import type { ApiKeyRecord } from '../model/records.js';
import type { AdminKeyRepo } from '../ports/admin-key-repo.js';
import type { ApiKeyRepo } from '../ports/api-key-repo.js';
import type { KeyIdentity, KeyIdentityCache } from './key-identity-cache.js';

/** How much of a key is kept in clear to recognise it: `hk_` and four characters. */
export const API_KEY_PREFIX_LENGTH = 7;

export type { KeyIdentity } from './key-identity-cache.js';

/**
 * A project's API keys: minted once (only the SHA-256 is stored), listed as metadata, revoked at
 * once, and looked up by hash to authenticate a request (never compared in clear).
 *
 * @example
 * const { key } = await apiKeys.create('default', { name: 'ci' });   // shown once
 * const who = await apiKeys.authenticate(key);                        // { projectId, keyId }
 */
export class ApiKeyService {
  readonly #keys: ApiKeyRepo & AdminKeyRepo;
  readonly #clock: Clock;
  readonly #adminProjectId: string;
  readonly #cache: KeyIdentityCache | undefined;

  /**
   * `adminProjectId`: the project an admin key acts on where a route names none. `cache`: valid
   * keys remembered for a few seconds (see KeyIdentityCache), forgotten at once on `revoke`.
   */
  constructor(deps: {
    keys: ApiKeyRepo & AdminKeyRepo;
    clock: Clock;
    adminProjectId?: string;
    cache?: KeyIdentityCache;
  }) {
    this.#keys = deps.keys;
    this.#clock = deps.clock;
    this.#adminProjectId = deps.adminProjectId ?? 'default';
    this.#cache = deps.cache;
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
    this.#cache?.forgetKey(id);
    if (!revoked) throw notFound(`API key "${id}" not found`);
    return revoked;
  }

  /** The project and key id of a valid (unrevoked) project or admin key, or undefined. */
  authenticate(key: string): Promise<KeyIdentity | undefined> {
    return this.authenticateHash(hashApiKey(key));
  }

  /** As `authenticate`, from the key's SHA-256 (a dashboard session keeps only the hash). */
  async authenticateHash(hash: string): Promise<KeyIdentity | undefined> {
    const cached = this.#cache?.get(hash);
    if (cached) return cached;
    const found = await this.#lookup(hash);
    if (found) this.#cache?.set(hash, found);
    return found;
  }

  async #lookup(hash: string): Promise<KeyIdentity | undefined> {
    const project = await this.#keys.findApiKey(hash);
    if (project) return { projectId: project.projectId, keyId: project.keyId, admin: false };
    const admin = await this.#keys.findAdminKey(hash);
    return admin ? { projectId: this.#adminProjectId, keyId: admin.keyId, admin: true } : undefined;
  }
}
