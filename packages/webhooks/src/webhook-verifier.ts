/**
 * `WebhookVerifier`: asynchronous verification of `v1`, `v1a` and JWT deliveries.
 * @module
 */

import type { JSONWebKeySet } from 'jose';
import { payloadBytes, signedBytes } from './internal/bytes.js';
import { ed25519Importer, type Ed25519Implementation } from './internal/ed25519.js';
import { createV1Signer, type V1Signer } from './internal/hmac.js';
import { readWebhookHeaders } from './internal/headers.js';
import { verifyJwt, type JwtCheck } from './internal/jwt.js';
import { parseBody } from './internal/parse-event.js';
import { parsePublicKey, parseSecret, type WebhookSecret } from './internal/secret.js';
import { isJwtSignature, parseSignatureHeader } from './internal/signature-header.js';
import { checkTimestamp, checkTolerance, DEFAULT_TOLERANCE_SECONDS } from './internal/timestamp.js';
import { matchV1, noMatch } from './internal/v1.js';
import { DEFAULT_MAX_V1A_ATTEMPTS, v1aSignatures } from './internal/v1a.js';
import { V1aKeyring } from './internal/v1a-keyring.js';
import { WebhookVerificationError } from './errors.js';
import type { KeySet } from './jwks/key-set.js';
import { createLocalJwks } from './jwks/local-jwks.js';
import { createRemoteJwks } from './jwks/remote-jwks.js';
import type { VerifiedDelivery } from './verified-delivery.js';
import type { Verifier } from './verifier.js';
import type { WebhookHeaders, WebhookPayload } from './webhook-input.js';

/** JWT-mode options of {@link WebhookVerifier}. */
export interface JwtOptions {
  /** Expected `aud` (Herald sets it to the destination URI, i.e. your endpoint URL). Required. */
  audience: string | readonly string[];
  /** Expected `iss` (Herald's public URL). Not checked when omitted. */
  issuer?: string | readonly string[];
  /** Accepted JWS algorithms. Default `['RS256']`. */
  algorithms?: readonly string[];
  /** Leeway for `exp`/`nbf`, in seconds. Default `0`. */
  clockTolerance?: number;
}

/** Options of {@link WebhookVerifier}. At least one of `secrets`, `publicKeys`, `jwks` is required. */
export interface WebhookVerifierOptions {
  /** `v1` secrets (`whsec_…`); several during rotation. */
  secrets?: WebhookSecret | readonly WebhookSecret[];
  /** `v1a` Ed25519 public keys (`whpk_…`, prefix optional). */
  publicKeys?: string | readonly string[];
  /**
   * Keys for `v1a` (every Ed25519 key is tried) and JWT (by `kid`): a {@link KeySet}, a local JWKS
   * object, or a URL (fetched with {@link createRemoteJwks} defaults and this verifier's `now`).
   */
  jwks?: KeySet | JSONWebKeySet | string | URL;
  /** Enables JWT signatures (needs `jwks`). */
  jwt?: JwtOptions;
  /** Allowed clock difference with `webhook-timestamp`, in seconds, both directions. Default `300`. */
  tolerance?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Bound on Ed25519 verifications per request (`v1a` entries × keys). Default `16`. */
  maxV1aAttempts?: number;
  /**
   * Ed25519 implementation for `v1a`: `'node'` (`node:crypto`, found at run time without a static
   * import; synchronous, the fastest) or `'webcrypto'` (`crypto.subtle`, every runtime). Default:
   * `'node'` when available. Either way each key is imported once and cached.
   */
  ed25519?: Ed25519Implementation;
}

function toArray<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

function toKeySet(jwks: KeySet | JSONWebKeySet | string | URL, now: () => number): KeySet {
  if (typeof jwks === 'string' || jwks instanceof URL) return createRemoteJwks(jwks, { now });
  if ('getKeys' in jwks) return jwks;
  return createLocalJwks(jwks);
}

/**
 * Verifies Standard Webhooks deliveries signed with `v1` (HMAC), `v1a` (Ed25519, from `whpk_`
 * keys or a JWKS) or a JWT in `webhook-signature` (RS256, key by `kid` from a JWKS; `aud`, `iss`,
 * `exp`, `jti` = `webhook-id` and `body_sha256` checked). Asymmetric schemes use WebCrypto, so it
 * runs on Node, Deno, Bun, Cloudflare Workers and other edge runtimes.
 *
 * @example
 * ```ts
 * import { WebhookVerifier } from '@herald/webhooks';
 *
 * const verifier = new WebhookVerifier({
 *   jwks: 'https://herald.example.com/.well-known/jwks.json',
 *   jwt: { audience: 'https://me.example.com/webhooks', issuer: 'https://herald.example.com' },
 * });
 * const event = await verifier.verify(rawBody, request.headers);
 * ```
 */
export class WebhookVerifier implements Verifier {
  readonly #signers: readonly V1Signer[];
  readonly #v1a: V1aKeyring;
  readonly #keySet: KeySet | undefined;
  readonly #jwt: JwtCheck | undefined;
  readonly #versions: readonly string[];
  readonly #tolerance: number;
  readonly #now: () => number;
  readonly #maxV1aAttempts: number;

  /** @throws `WebhookVerificationError` (`ERR_INVALID_OPTIONS`, `ERR_INVALID_SECRET`, `ERR_INVALID_KEY`). */
  constructor(options: WebhookVerifierOptions) {
    this.#now = options.now ?? Date.now;
    this.#tolerance = checkTolerance(options.tolerance ?? DEFAULT_TOLERANCE_SECONDS);
    this.#maxV1aAttempts = options.maxV1aAttempts ?? DEFAULT_MAX_V1A_ATTEMPTS;
    this.#signers = toArray(options.secrets).map((s) => createV1Signer(parseSecret(s)));
    const raw = toArray(options.publicKeys).map(parsePublicKey);
    this.#keySet = options.jwks === undefined ? undefined : toKeySet(options.jwks, this.#now);
    const importer = ed25519Importer(options.ed25519);
    this.#v1a = new V1aKeyring({ publicKeys: raw, keySet: this.#keySet, importer });
    if (options.jwt) {
      if (!this.#keySet) throw new WebhookVerificationError('ERR_INVALID_OPTIONS', 'jwt needs jwks');
      this.#jwt = {
        keySet: this.#keySet,
        audience: [...toArray(options.jwt.audience)],
        issuer: options.jwt.issuer === undefined ? undefined : [...toArray(options.jwt.issuer)],
        algorithms: [...(options.jwt.algorithms ?? ['RS256'])],
        clockTolerance: options.jwt.clockTolerance ?? 0,
      };
    }
    const versions: string[] = [];
    if (this.#signers.length > 0) versions.push('v1');
    if (raw.length > 0 || this.#keySet) versions.push('v1a');
    if (versions.length === 0 && !this.#jwt) {
      throw new WebhookVerificationError('ERR_INVALID_OPTIONS', 'Configure secrets, publicKeys or jwks');
    }
    this.#versions = versions;
  }

  /**
   * Verifies a delivery and returns `JSON.parse` of the body (`undefined` for an empty body).
   * @throws `WebhookVerificationError`; see {@link WebhookErrorCode}.
   * @example
   * ```ts
   * const event = await verifier.verify(await request.text(), request.headers);
   * ```
   */
  async verify<T = unknown>(payload: WebhookPayload, headers: WebhookHeaders): Promise<T> {
    return (await this.verifyDelivery(payload, headers)).event as T;
  }

  /**
   * Like {@link WebhookVerifier.verify}, but also returns the `webhook-id`, timestamp, scheme,
   * `kid` and JWT claims.
   * @example
   * ```ts
   * const { id, scheme, kid, event } = await verifier.verifyDelivery(body, headers);
   * ```
   */
  async verifyDelivery(payload: WebhookPayload, headers: WebhookHeaders): Promise<VerifiedDelivery> {
    const raw = readWebhookHeaders(headers);
    const nowMs = this.#now();
    const timestamp = checkTimestamp(raw.timestamp, nowMs, this.#tolerance);
    const base = { id: raw.id, timestamp };
    if (isJwtSignature(raw.signature)) {
      if (!this.#jwt) {
        throw new WebhookVerificationError(
          'ERR_NO_SUPPORTED_SIGNATURE',
          'JWT signature received but jwt is not configured',
        );
      }
      const body = new Uint8Array(payloadBytes(payload));
      const { claims, kid } = await verifyJwt(raw.signature, raw.id, body, nowMs, this.#jwt);
      return { ...base, scheme: 'jwt', ...(kid === undefined ? {} : { kid }), event: parseBody(payload), claims };
    }
    const entries = parseSignatureHeader(raw.signature);
    const prefix = `${raw.id}.${timestamp}.`;
    if (matchV1(this.#signers, prefix, payload, entries)) return { ...base, scheme: 'v1', event: parseBody(payload) };
    const kid = await this.#matchV1a(entries, prefix, payload);
    if (kid !== false)
      return { ...base, scheme: 'v1a', ...(kid === undefined ? {} : { kid }), event: parseBody(payload) };
    return noMatch(entries, this.#versions);
  }

  /** Returns the `kid` (or `undefined` for a `whpk_` key) of the key that verified, or `false`. */
  async #matchV1a(entries: ReturnType<typeof parseSignatureHeader>, prefix: string, payload: WebhookPayload) {
    const signatures = v1aSignatures(entries);
    if (signatures.length === 0 || !this.#versions.includes('v1a')) return false;
    const hit = await this.#v1a.match(signatures, signedBytes(prefix, payload), { remaining: this.#maxV1aAttempts });
    return hit === false ? false : hit.kid;
  }
}
