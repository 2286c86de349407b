/**
 * A bounded LRU of imported Ed25519 public keys, keyed by the key bytes.
 * @internal
 */

import { encodeBase64Url } from './base64.js';
import type { Ed25519Importer, Ed25519PublicKey } from './ed25519.js';

/** Default bound on cached keys (the JWKS import keeps at most 64 keys per document). */
export const DEFAULT_ED25519_CACHE_SIZE = 64;

/**
 * Imports each distinct key once and keeps at most `capacity` of them, evicting the least recently
 * used. A failed import is not cached, so a later call retries it.
 * @example
 * const cache = new Ed25519KeyCache(ed25519Importer());
 * const key = await cache.get(raw32);
 */
export class Ed25519KeyCache {
  readonly #importer: Ed25519Importer;
  readonly #capacity: number;
  readonly #entries = new Map<string, Promise<Ed25519PublicKey>>();

  constructor(importer: Ed25519Importer, capacity = DEFAULT_ED25519_CACHE_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.#importer = importer;
    this.#capacity = capacity;
  }

  /** Keys held now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The cache id of a raw key (URL-safe base64, the JWK `x`). */
  static idOf(raw: Uint8Array): string {
    return encodeBase64Url(raw);
  }

  /** The imported key for `raw` (imported on a miss; `id` saves re-encoding when the caller has it). */
  get(raw: Uint8Array<ArrayBuffer>, id = Ed25519KeyCache.idOf(raw)): Promise<Ed25519PublicKey> {
    const hit = this.#entries.get(id);
    if (hit) {
      this.#entries.delete(id);
      this.#entries.set(id, hit);
      return hit;
    }
    const imported = this.#importer(raw);
    this.#entries.set(id, imported);
    imported.catch(() => {
      if (this.#entries.get(id) === imported) this.#entries.delete(id);
    });
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    return imported;
  }

  /** Drops every key whose id is not in `ids` (keys removed from a refreshed JWKS). */
  retainOnly(ids: ReadonlySet<string>): void {
    for (const id of [...this.#entries.keys()]) if (!ids.has(id)) this.#entries.delete(id);
  }

  /** Drops every key. */
  clear(): void {
    this.#entries.clear();
  }
}
