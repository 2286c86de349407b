import type { Clock } from '../kernel/clock.js';
import { LruMap } from '../kernel/lru-map.js';

/**
 * How long a key found valid is believed without asking the store again: a key revoked (or its
 * project deleted) by ANOTHER process — a PostgreSQL fleet, the CLI — stops working within this
 * bound. In the process that revokes or deletes it, it stops at once (`forgetKey`/`forgetProject`).
 */
export const KEY_CACHE_TTL_MS = 5_000;

/** Most keys remembered at once; the least recently used one is dropped past it. */
export const KEY_CACHE_MAX = 10_000;

/**
 * Who a key belongs to, once authenticated. An admin key (`admin: true`) acts on every project;
 * where a route names none, on the instance's own project (`projectId`).
 */
export interface KeyIdentity {
  projectId: string;
  keyId: string;
  admin: boolean;
}

interface Entry {
  identity: KeyIdentity;
  until: number;
}

/**
 * The identities of recently authenticated API keys, by the key's SHA-256 (never the key in
 * clear), so the request path skips the store's lookup. Only valid keys are remembered: an
 * unknown key is asked for every time, so a key created elsewhere works at once.
 *
 * @example
 * const cache = new KeyIdentityCache({ clock });
 * cache.set(hash, { projectId: 'acme', keyId: 'key_…', admin: false });
 * cache.get(hash);            // the identity, for KEY_CACHE_TTL_MS
 * cache.forgetKey('key_…');   // revoked here: gone at once
 */
export class KeyIdentityCache {
  readonly #entries: LruMap<string, Entry>;
  readonly #clock: Clock;
  readonly #ttlMs: number;

  constructor(opts: { clock: Clock; ttlMs?: number; max?: number }) {
    this.#clock = opts.clock;
    this.#ttlMs = opts.ttlMs ?? KEY_CACHE_TTL_MS;
    this.#entries = new LruMap(opts.max ?? KEY_CACHE_MAX);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The identity of the key with this hash, if it was found valid less than the TTL ago. */
  get(hash: string): KeyIdentity | undefined {
    const e = this.#entries.get(hash);
    if (e === undefined) return undefined;
    if (this.#clock.now() < e.until) return e.identity;
    this.#entries.delete(hash);
    return undefined;
  }

  set(hash: string, identity: KeyIdentity): void {
    this.#entries.set(hash, { identity, until: this.#clock.now() + this.#ttlMs });
  }

  /** The key `keyId` was revoked in this process. */
  forgetKey(keyId: string): void {
    this.#forget((id) => id.keyId === keyId);
  }

  /** The project was deleted in this process: its keys (not admin keys) go with it. */
  forgetProject(projectId: string): void {
    this.#forget((id) => !id.admin && id.projectId === projectId);
  }

  #forget(match: (identity: KeyIdentity) => boolean): void {
    for (const [hash, e] of [...this.#entries.entries()]) if (match(e.identity)) this.#entries.delete(hash);
  }
}
