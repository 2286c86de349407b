/**
 * `Webhook`: a drop-in replacement for `standardwebhooks`' and `svix`' `Webhook` class.
 * @module
 */

import { createV1Signer, type HmacImplementation, type V1Signer } from './internal/hmac.js';
import { readWebhookHeaders } from './internal/headers.js';
import { parseBody } from './internal/parse-event.js';
import { parseSecret, type WebhookSecret } from './internal/secret.js';
import { parseSignatureHeader } from './internal/signature-header.js';
import { checkTimestamp, checkTolerance, DEFAULT_TOLERANCE_SECONDS } from './internal/timestamp.js';
import { matchV1Header, noMatch } from './internal/v1.js';
import { WebhookVerificationError } from './errors.js';
import type { VerifiedDelivery } from './verified-delivery.js';
import type { Verifier } from './verifier.js';
import type { WebhookHeaders, WebhookPayload } from './webhook-input.js';

/** Options of {@link Webhook}. */
export interface WebhookOptions {
  /** `'raw'`: string secrets are raw bytes (char code → byte), as in `standardwebhooks`. */
  format?: 'raw';
  /** Allowed clock difference with `webhook-timestamp`, in seconds, both directions. Default `300`. */
  tolerance?: number;
  /** Clock in milliseconds since the epoch, like `Date.now` (the default). Inject it in tests. */
  now?: () => number;
  /**
   * HMAC implementation: `'node'` (`node:crypto`, found at run time without a static import) or
   * `'pure'` (bundled TypeScript SHA-256, for runtimes without `node:crypto`). Default: `'node'`
   * when available.
   */
  hmac?: HmacImplementation;
}

/**
 * Verifies and signs Standard Webhooks `v1` (HMAC-SHA256) deliveries, synchronously, with the
 * same surface as `standardwebhooks` / `svix`: `new Webhook(secret).verify(payload, headers)`.
 *
 * Beyond the originals: several secrets (rotation — any match is accepted), configurable
 * tolerance and injectable clock, `Headers` / `string[]` header values, `Uint8Array` bodies,
 * strict timestamp parsing, secret length checks (24–64 bytes), and typed error codes.
 * For `v1a` (Ed25519) and JWT signatures use {@link WebhookVerifier}.
 *
 * @example
 * ```ts
 * import { Webhook } from '@herald/webhooks';
 *
 * const wh = new Webhook(process.env.HERALD_WEBHOOK_SECRET!); // 'whsec_…'
 * const event = wh.verify(rawBody, req.headers); // throws WebhookVerificationError
 * ```
 */
export class Webhook implements Verifier {
  static readonly prefix = 'whsec_';

  readonly #signers: readonly V1Signer[];
  readonly #tolerance: number;
  readonly #now: () => number;

  /**
   * @param secret `whsec_…` (prefix optional) or raw bytes; an array of them during rotation.
   * @throws `WebhookVerificationError` with `ERR_INVALID_SECRET` for an empty, non-base64,
   *   shorter than 24 bytes or longer than 64 bytes secret.
   */
  constructor(secret: WebhookSecret | readonly WebhookSecret[], options: WebhookOptions = {}) {
    const secrets = Array.isArray(secret) ? (secret as readonly WebhookSecret[]) : [secret as WebhookSecret];
    if (secrets.length === 0) throw new WebhookVerificationError('ERR_INVALID_SECRET', "Secret can't be empty.");
    this.#signers = secrets.map((s) => createV1Signer(parseSecret(s, options.format), options.hmac));
    this.#tolerance = checkTolerance(options.tolerance ?? DEFAULT_TOLERANCE_SECONDS);
    this.#now = options.now ?? Date.now;
  }

  /**
   * Verifies a delivery and returns `JSON.parse` of the body (`undefined` for an empty body).
   *
   * @param payload The raw body, exactly as received.
   * @param headers Request headers (`webhook-*` or `svix-*`, any case).
   * @throws `WebhookVerificationError` (`ERR_MISSING_HEADERS`, `ERR_INVALID_HEADERS`,
   *   `ERR_TIMESTAMP_TOO_OLD`, `ERR_TIMESTAMP_TOO_NEW`, `ERR_SIGNATURE_MISMATCH`,
   *   `ERR_NO_SUPPORTED_SIGNATURE`, `ERR_PAYLOAD_INVALID`).
   * @example
   * ```ts
   * const event = wh.verify<{ type: string }>(body, headers);
   * ```
   */
  verify<T = unknown>(payload: WebhookPayload, headers: WebhookHeaders): T {
    return this.verifyDelivery(payload, headers).event as T;
  }

  /**
   * Like {@link Webhook.verify}, but returns the `webhook-id`, timestamp and scheme too.
   * @example
   * ```ts
   * const { id, event } = wh.verifyDelivery(body, headers);
   * ```
   */
  verifyDelivery(payload: WebhookPayload, headers: WebhookHeaders): VerifiedDelivery {
    const raw = readWebhookHeaders(headers);
    const timestamp = checkTimestamp(raw.timestamp, this.#now(), this.#tolerance);
    if (!matchV1Header(this.#signers, `${raw.id}.${timestamp}.`, payload, raw.signature)) {
      noMatch(parseSignatureHeader(raw.signature), ['v1']);
    }
    return { id: raw.id, timestamp, scheme: 'v1', event: parseBody(payload) };
  }

  /**
   * Signs a payload: `v1,<base64>` — one item per secret, space-separated, when several secrets
   * were given. For tests and for senders.
   *
   * @param msgId `webhook-id`.
   * @param timestamp Attempt time (`Date`, or Unix seconds).
   * @param payload The exact body that will be sent.
   * @example
   * ```ts
   * const signature = wh.sign('msg_1', new Date(), body);
   * ```
   */
  sign(msgId: string, timestamp: Date | number, payload: WebhookPayload): string {
    const seconds = typeof timestamp === 'number' ? Math.floor(timestamp) : Math.floor(timestamp.getTime() / 1000);
    const prefix = `${msgId}.${seconds}.`;
    return this.#signers.map((sign) => `v1,${sign(prefix, payload)}`).join(' ');
  }
}
