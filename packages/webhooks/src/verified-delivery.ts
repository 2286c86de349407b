/**
 * The result of a successful verification.
 * @module
 */

/** The scheme that verified a delivery. */
export type SignatureScheme = 'v1' | 'v1a' | 'jwt';

/**
 * What a verifier learned about a delivery: who sent it (scheme and key), its id and attempt time,
 * and the parsed body.
 *
 * @example
 * ```ts
 * const delivery = await verifier.verifyDelivery(body, headers);
 * console.log(delivery.id, delivery.scheme, delivery.event);
 * ```
 */
export interface VerifiedDelivery<E = unknown> {
  /** `webhook-id`: stable across retries; the idempotency key. */
  id: string;
  /** `webhook-timestamp` of this attempt, in Unix seconds. */
  timestamp: number;
  /** Which signature scheme verified. */
  scheme: SignatureScheme;
  /** `kid` of the JWKS key that verified (`v1a` with a JWKS, `jwt`). */
  kid?: string;
  /** `JSON.parse` of the body; `undefined` for an empty body. */
  event: E;
  /** The verified JWT claims (`jwt` scheme only). */
  claims?: Readonly<Record<string, unknown>>;
}
