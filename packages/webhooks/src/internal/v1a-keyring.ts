/**
 * The `v1a` keys of one verifier: static `whpk_` keys and the Ed25519 keys of a JWKS, imported
 * once (JWKS keys through a bounded cache keyed by the key bytes) and tried last-match first.
 * @internal
 */

import type { CryptoKey } from 'jose';
import { WebhookVerificationError } from '../errors.js';
import type { KeySet, VerificationKey } from '../jwks/key-set.js';
import { decodeBase64 } from './base64.js';
import type { Ed25519Importer, Ed25519PublicKey } from './ed25519.js';
import { Ed25519KeyCache } from './ed25519-key-cache.js';

interface Candidate {
  kid: string | undefined;
  key: Ed25519PublicKey;
}

/** Options of {@link V1aKeyring}. */
export interface V1aKeyringOptions {
  /** Raw 32-byte `whpk_` keys. */
  publicKeys: readonly Uint8Array<ArrayBuffer>[];
  keySet: KeySet | undefined;
  importer: Ed25519Importer;
  /** Bound on cached JWKS keys. */
  cacheSize?: number;
}

/** Verification budget shared by every key and signature of one request. */
export interface V1aBudget {
  remaining: number;
}

/** A WebCrypto key as published by a custom {@link KeySet} without a usable `x`. */
function fromCryptoKey(key: CryptoKey): Ed25519PublicKey {
  return { verify: (signature, data) => crypto.subtle.verify({ name: 'Ed25519' }, key, signature, data) };
}

/**
 * Finds the key that verifies a `v1a` signature. Keys are imported once; the key that verified
 * last is tried first (the header carries no key id), so a JWKS with several keys costs one
 * verification per request in the steady state.
 * @example
 * const ring = new V1aKeyring({ publicKeys: [raw32], keySet: undefined, importer: ed25519Importer() });
 * await ring.match(signatures, data, { remaining: 16 }); // { kid: undefined } or false
 */
export class V1aKeyring {
  readonly #static: Promise<Candidate[]>;
  readonly #staticCount: number;
  readonly #keySet: KeySet | undefined;
  readonly #cache: Ed25519KeyCache;
  #source: readonly VerificationKey[] | undefined;
  #fromSet: Promise<Candidate[]> = Promise.resolve([]);
  #last: Ed25519PublicKey | undefined;

  constructor(options: V1aKeyringOptions) {
    const { importer } = options;
    this.#staticCount = options.publicKeys.length;
    this.#static = Promise.all(options.publicKeys.map(async (raw) => ({ kid: undefined, key: await importer(raw) })));
    this.#static.catch(() => undefined);
    this.#keySet = options.keySet;
    this.#cache = new Ed25519KeyCache(importer, options.cacheSize);
  }

  /** JWKS keys held in the cache now. */
  get cachedKeys(): number {
    return this.#cache.size;
  }

  /**
   * The key that verified one of `signatures` over `data` (`kid` is `undefined` for a `whpk_`
   * key), or `false`. Refreshes the key set once when no key verified.
   * @throws `ERR_JWKS_NO_MATCHING_KEY` when there is no Ed25519 key at all.
   */
  async match(
    signatures: readonly Uint8Array<ArrayBuffer>[],
    data: Uint8Array<ArrayBuffer>,
    budget: V1aBudget,
  ): Promise<{ kid: string | undefined } | false> {
    if (await this.#try(await this.#static, signatures, data, budget)) return { kid: undefined };
    if (!this.#keySet) return false;
    const keys = await this.#keySet.getKeys();
    const current = await this.#candidates(keys);
    const hit = await this.#try(current, signatures, data, budget);
    if (hit) return { kid: hit.kid };
    const fresh = await this.#keySet.refresh();
    const renewed = fresh ? await this.#candidates(fresh) : [];
    const tried = new Set(current.map((c) => c.key));
    const late = await this.#try(
      renewed.filter((c) => !tried.has(c.key)),
      signatures,
      data,
      budget,
    );
    if (late) return { kid: late.kid };
    if (current.length === 0 && renewed.length === 0 && this.#staticCount === 0) {
      throw new WebhookVerificationError('ERR_JWKS_NO_MATCHING_KEY', 'The JWKS has no Ed25519 key for v1a');
    }
    return false;
  }

  /** The Ed25519 keys of a key-set list, resolved once per list; keys gone from it leave the cache. */
  #candidates(keys: readonly VerificationKey[]): Promise<Candidate[]> {
    if (keys === this.#source) return this.#fromSet;
    const ids = new Set<string>();
    const list = keys
      .filter((k) => k.type === 'Ed25519')
      .map(async ({ kid, key, jwk }): Promise<Candidate> => {
        const raw = typeof jwk.x === 'string' ? decodeBase64(jwk.x) : undefined;
        if (raw?.length !== 32) return { kid, key: fromCryptoKey(key) };
        const id = Ed25519KeyCache.idOf(raw);
        ids.add(id);
        try {
          return { kid, key: await this.#cache.get(new Uint8Array(raw), id) };
        } catch {
          return { kid, key: fromCryptoKey(key) };
        }
      });
    this.#cache.retainOnly(ids);
    this.#source = keys;
    this.#fromSet = Promise.all(list);
    return this.#fromSet;
  }

  async #try(
    candidates: readonly Candidate[],
    signatures: readonly Uint8Array<ArrayBuffer>[],
    data: Uint8Array<ArrayBuffer>,
    budget: V1aBudget,
  ): Promise<Candidate | undefined> {
    const last = this.#last;
    const first = last === undefined ? undefined : candidates.find((c) => c.key === last);
    if (first && (await verifyAny(first.key, signatures, data, budget))) return first;
    for (const candidate of candidates) {
      if (candidate === first) continue;
      if (await verifyAny(candidate.key, signatures, data, budget)) {
        this.#last = candidate.key;
        return candidate;
      }
    }
    return undefined;
  }
}

async function verifyAny(
  key: Ed25519PublicKey,
  signatures: readonly Uint8Array<ArrayBuffer>[],
  data: Uint8Array<ArrayBuffer>,
  budget: V1aBudget,
): Promise<boolean> {
  for (const signature of signatures) {
    if (budget.remaining <= 0) return false;
    budget.remaining--;
    const ok = key.verify(signature, data);
    if (ok === true || (ok !== false && (await ok))) return true;
  }
  return false;
}
