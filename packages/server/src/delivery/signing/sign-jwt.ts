import { createHash, type KeyObject } from 'node:crypto';
import { SignJWT, type CryptoKey } from 'jose';

/** JWT lifetime: `exp = iat + 300` (5 minutes, the Standard Webhooks replay window). */
export const JWT_TTL_SECONDS = 300;

/** Input of {@link signJwt}. */
export interface SignJwtInput {
  /** RS256 private key (Node `KeyObject`, e.g. from `importPrivateKey`, or a WebCrypto/jose `CryptoKey`). */
  privateKey: KeyObject | CryptoKey;
  /** Key id placed in the JWT header; receivers look it up in the JWKS. */
  kid: string;
  /** `iss`: Herald's public URL. */
  issuer: string;
  /** `aud`: the destination URI. */
  audience: string;
  /** `jti`: the `webhook-id`. */
  msgId: string;
  /** Exact body bytes that are sent; `body_sha256` binds the token to them. */
  body: string | Uint8Array;
  /** The event envelope (`type`, `version`, `timestamp`, `data`); copied into the claims. */
  envelope: object;
  /** Current time in ms (injected clock). */
  now: number;
}

/**
 * Produces the compact RS256 JWT sent in `webhook-signature` in JWT mode. Header
 * `{ alg: 'RS256', typ: 'JWT', kid }`; claims are the envelope fields plus `iss`, `aud`, `iat`,
 * `exp` (= iat + 300), `jti` (= msgId) and `body_sha256` (base64url SHA-256 of the body), the latter
 * overriding any envelope field of the same name.
 *
 * @example
 * const token = await signJwt({ privateKey, kid, issuer: 'https://herald.example', audience: uri, msgId, body, envelope, now: Date.now() });
 */
export async function signJwt(input: SignJwtInput): Promise<string> {
  const iat = Math.floor(input.now / 1000);
  const bodySha256 = createHash('sha256').update(input.body).digest('base64url');
  return new SignJWT({ ...input.envelope, body_sha256: bodySha256 })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: input.kid })
    .setIssuer(input.issuer)
    .setAudience(input.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + JWT_TTL_SECONDS)
    .setJti(input.msgId)
    .sign(input.privateKey);
}
