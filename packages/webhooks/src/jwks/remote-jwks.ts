/**
 * A key set fetched from a JWKS URL, cached, refreshed on unknown keys with a cooldown.
 * @module
 */

import { WebhookVerificationError } from '../errors.js';
import { assertJwks, importJwks } from './import-jwks.js';
import type { KeySet, VerificationKey } from './key-set.js';

/** Options of {@link createRemoteJwks}. */
export interface RemoteJwksOptions {
  /** Minimum time between two fetches, in ms (also after a failure). Default `30_000`. */
  cooldown?: number;
  /** Age after which cached keys are refetched on next use, in ms. Default `600_000` (10 min). */
  maxAge?: number;
  /** Timeout of one fetch (connect + body), in ms. Default `5_000`. */
  timeout?: number;
  /** Largest accepted document, in bytes. Default `262_144`. */
  maxBytes?: number;
  /** `fetch` implementation. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Clock in ms since the epoch. Default `Date.now`. Inject it in tests. */
  now?: () => number;
}

/**
 * The body as UTF-8 text, or `undefined` as soon as it exceeds `maxBytes` (declared or streamed):
 * the rest is never read, so a huge or endless document costs at most `maxBytes` of memory.
 */
async function readAtMost(response: Response, maxBytes: number): Promise<string | undefined> {
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * Creates a {@link KeySet} backed by a JWKS URL such as Herald's `/.well-known/jwks.json`.
 *
 * - Fetched on first use; cached for `maxAge`; concurrent callers share one request.
 * - An unknown `kid` (or a `v1a` signature no key verifies) triggers a refetch, at most once per
 *   `cooldown`, so rotated keys are picked up without letting forged requests hammer the server.
 * - Every fetch is bounded by `timeout` and `maxBytes`. When the server is down, cached keys keep
 *   being used; with no cached keys verification fails with `ERR_JWKS_UNAVAILABLE` (the receiver
 *   helper answers `503` so the sender retries later).
 *
 * @param url The JWKS URL.
 * @example
 * ```ts
 * const jwks = createRemoteJwks('https://herald.example.com/.well-known/jwks.json', { cooldown: 30_000 });
 * const verifier = new WebhookVerifier({ jwks, jwt: { audience: 'https://me.example.com/webhooks' } });
 * ```
 */
export function createRemoteJwks(url: string | URL, options: RemoteJwksOptions = {}): KeySet {
  const {
    cooldown = 30_000,
    maxAge = 600_000,
    timeout = 5_000,
    maxBytes = 262_144,
    fetch: fetchImpl = globalThis.fetch,
    headers = {},
    now = Date.now,
  } = options;
  const target = new URL(url);
  let keys: VerificationKey[] | undefined;
  let fetchedAt = 0;
  let attemptedAt: number | undefined;
  let lastError: unknown;
  let inflight: Promise<VerificationKey[]> | undefined;

  async function download(): Promise<VerificationKey[]> {
    let text: string | undefined;
    try {
      const response = await fetchImpl(target, {
        headers: { accept: 'application/json', ...headers },
        signal: AbortSignal.timeout(timeout),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      text = await readAtMost(response, maxBytes);
    } catch (cause) {
      throw new WebhookVerificationError('ERR_JWKS_UNAVAILABLE', `JWKS unavailable: GET ${target.href} failed`, {
        cause,
      });
    }
    if (text === undefined) {
      throw new WebhookVerificationError('ERR_JWKS_UNAVAILABLE', `JWKS unavailable: document over ${maxBytes} bytes`);
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
      assertJwks(document);
    } catch (cause) {
      throw new WebhookVerificationError('ERR_JWKS_UNAVAILABLE', `JWKS unavailable: ${target.href} is not a JWKS`, {
        cause,
      });
    }
    return importJwks(document);
  }

  function load(): Promise<VerificationKey[]> {
    inflight ??= (async () => {
      attemptedAt = now();
      try {
        keys = await download();
        fetchedAt = now();
        lastError = undefined;
        return keys;
      } catch (error) {
        lastError = error;
        throw error;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  }

  const coolingDown = (): boolean => attemptedAt !== undefined && now() - attemptedAt < cooldown;

  return {
    async getKeys() {
      if (keys && now() - fetchedAt < maxAge) return keys;
      if (inflight) return inflight;
      if (coolingDown()) {
        if (keys) return keys;
        throw new WebhookVerificationError(
          'ERR_JWKS_UNAVAILABLE',
          `JWKS unavailable: last fetch of ${target.href} failed; retrying after the cooldown`,
          { cause: lastError },
        );
      }
      try {
        return await load();
      } catch (error) {
        if (keys) return keys; // stale-if-error
        throw error;
      }
    },
    async refresh() {
      if (inflight) return inflight;
      if (coolingDown()) return undefined;
      return load();
    },
  };
}
