/**
 * The error catalogue of `@herald/webhooks`.
 *
 * Every failure the SDK reports is a {@link WebhookVerificationError} whose `code` is one of the
 * stable string literals of {@link WebhookErrorCode}. Switch on `err.code` (a discriminated union)
 * rather than on classes or messages: codes never change between versions, messages may.
 *
 * `instanceof WebhookVerificationError` also works across two copies of this package (the class is
 * branded with `Symbol.for('herald.webhooks.error')` and checks the brand in
 * `static [Symbol.hasInstance]`), but `err.code` is the primary check.
 *
 * @module
 */

/** Stable error codes. New codes may be added; existing codes are never renamed or removed. */
export type WebhookErrorCode =
  /** `webhook-id`, `webhook-timestamp` or `webhook-signature` (or their `svix-*` names) is absent or empty. */
  | 'ERR_MISSING_HEADERS'
  /** A webhook header is malformed (non-integer timestamp, conflicting duplicates, too many signatures). */
  | 'ERR_INVALID_HEADERS'
  /** `webhook-timestamp` is older than the tolerance (replay protection). */
  | 'ERR_TIMESTAMP_TOO_OLD'
  /** `webhook-timestamp` is further in the future than the tolerance. */
  | 'ERR_TIMESTAMP_TOO_NEW'
  /** Signatures of a supported scheme are present, but none verifies (tampered body, header or key). */
  | 'ERR_SIGNATURE_MISMATCH'
  /** The `webhook-signature` header holds no signature of a scheme this verifier is configured for. */
  | 'ERR_NO_SUPPORTED_SIGNATURE'
  /** A `whsec_` secret is empty, not base64, or decodes to fewer than 24 or more than 64 bytes. */
  | 'ERR_INVALID_SECRET'
  /** A public key (`whpk_`, JWK) or a JWKS document is malformed. */
  | 'ERR_INVALID_KEY'
  /** The verifier options are inconsistent (for example JWT checks without a JWKS). */
  | 'ERR_INVALID_OPTIONS'
  /** The remote JWKS could not be fetched (network error, timeout, non-2xx, invalid JSON). */
  | 'ERR_JWKS_UNAVAILABLE'
  /** No key in the JWKS matches the JWT `kid` / algorithm, or the set has no usable key for `v1a`. */
  | 'ERR_JWKS_NO_MATCHING_KEY'
  /** The JWT is malformed, uses a disallowed algorithm, or lacks a `kid` where one is needed. */
  | 'ERR_JWT_INVALID'
  /** A JWT claim check failed (`aud`, `iss`, `exp`, `jti`, `body_sha256` missing…); see `claim`. */
  | 'ERR_JWT_CLAIM'
  /** The JWT `body_sha256` claim does not match the SHA-256 of the raw body. */
  | 'ERR_BODY_MISMATCH'
  /**
   * This `webhook-id` was already processed (replay or retry of a handled message). Not thrown by
   * the verifiers; the receiver helper answers `200` without calling the handler. Use it in your
   * own dedupe flow on top of an `IdempotencyStore`.
   */
  | 'ERR_DUPLICATE'
  /** The body verified but is not JSON, or not a webhook event envelope. */
  | 'ERR_PAYLOAD_INVALID'
  /** The body is larger than the configured limit. */
  | 'ERR_PAYLOAD_TOO_LARGE';

const MESSAGES: Readonly<Record<WebhookErrorCode, string>> = {
  ERR_MISSING_HEADERS: 'Missing required headers',
  ERR_INVALID_HEADERS: 'Invalid Signature Headers',
  ERR_TIMESTAMP_TOO_OLD: 'Message timestamp too old',
  ERR_TIMESTAMP_TOO_NEW: 'Message timestamp too new',
  ERR_SIGNATURE_MISMATCH: 'No matching signature found',
  ERR_NO_SUPPORTED_SIGNATURE: 'No signature of a supported scheme found',
  ERR_INVALID_SECRET: 'Invalid webhook secret',
  ERR_INVALID_KEY: 'Invalid verification key',
  ERR_INVALID_OPTIONS: 'Invalid verifier options',
  ERR_JWKS_UNAVAILABLE: 'JWKS unavailable',
  ERR_JWKS_NO_MATCHING_KEY: 'No matching key found in the JWKS',
  ERR_JWT_INVALID: 'Invalid JWT',
  ERR_JWT_CLAIM: 'JWT claim check failed',
  ERR_BODY_MISMATCH: 'Body does not match the signed body hash',
  ERR_DUPLICATE: 'Duplicate webhook-id',
  ERR_PAYLOAD_INVALID: 'Payload is not a valid webhook event',
  ERR_PAYLOAD_TOO_LARGE: 'Payload too large',
};

const BRAND = Symbol.for('herald.webhooks.error');

/** Options of {@link WebhookVerificationError}. */
export interface WebhookVerificationErrorOptions {
  /** Underlying error (network failure, `jose` error, `SyntaxError`…). */
  cause?: unknown;
  /** For `ERR_JWT_CLAIM`: the claim that failed (`aud`, `iss`, `exp`, `jti`, `body_sha256`…). */
  claim?: string;
}

/**
 * The one error class thrown by this package. Its name matches `standardwebhooks`' and `svix`'
 * `WebhookVerificationError`, and the messages of the codes those libraries know are identical
 * (`"Missing required headers"`, `"Message timestamp too old"`, `"No matching signature found"`…).
 *
 * @example
 * ```ts
 * try {
 *   wh.verify(body, headers);
 * } catch (err) {
 *   if (err instanceof WebhookVerificationError) {
 *     switch (err.code) {
 *       case 'ERR_TIMESTAMP_TOO_OLD': // replayed or very late delivery
 *       case 'ERR_SIGNATURE_MISMATCH': // forged or tampered
 *         return res.status(401).end();
 *       default:
 *         return res.status(400).end();
 *     }
 *   }
 *   throw err;
 * }
 * ```
 */
export class WebhookVerificationError extends Error {
  /** Stable machine-readable code; the primary way to tell errors apart. */
  readonly code: WebhookErrorCode;
  /** For `ERR_JWT_CLAIM`: the claim that failed. */
  readonly claim: string | undefined;

  constructor(code: WebhookErrorCode, message?: string, options: WebhookVerificationErrorOptions = {}) {
    super(message ?? MESSAGES[code], options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WebhookVerificationError';
    this.code = code;
    this.claim = options.claim;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /** Recognises errors from any copy of this package (undici's pattern). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
