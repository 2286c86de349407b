/**
 * JWT mode: `webhook-signature` is a compact JWS (RS256 by default) whose key is found by `kid` in
 * a JWKS; `aud`, optional `iss`, `exp`, `jti` = `webhook-id` and `body_sha256` are checked.
 * @internal
 */

import { jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { WebhookVerificationError } from '../errors.js';
import type { KeySet, VerificationKey } from '../jwks/key-set.js';
import { checkBodyHash } from './body-hash.js';

/** Resolved JWT options. */
export interface JwtCheck {
  keySet: KeySet;
  audience: string | string[];
  issuer: string | string[] | undefined;
  algorithms: string[];
  clockTolerance: number;
}

function keyTypeFor(alg: string): VerificationKey['type'] {
  return alg === 'EdDSA' || alg === 'Ed25519' ? 'Ed25519' : 'RSA';
}

function pick(keys: readonly VerificationKey[], header: JWTHeaderParameters): VerificationKey | undefined {
  const type = keyTypeFor(header.alg);
  const candidates = keys.filter((k) => k.type === type);
  if (header.kid === undefined) {
    if (candidates.length > 1) throw new WebhookVerificationError('ERR_JWT_INVALID', 'JWT header has no "kid"');
    return candidates[0];
  }
  return candidates.find((k) => k.kid === header.kid);
}

function mapJoseError(error: unknown): WebhookVerificationError {
  if (error instanceof WebhookVerificationError) return error;
  const { code, claim, reason, message } = error as {
    code?: string;
    claim?: string;
    reason?: string;
    message?: string;
  };
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
    return new WebhookVerificationError('ERR_SIGNATURE_MISMATCH', 'JWT signature verification failed', {
      cause: error,
    });
  }
  if (code === 'ERR_JWT_EXPIRED' || code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    return new WebhookVerificationError('ERR_JWT_CLAIM', `JWT "${claim}" claim check failed (${reason})`, {
      cause: error,
      ...(claim === undefined ? {} : { claim }),
    });
  }
  return new WebhookVerificationError('ERR_JWT_INVALID', `Invalid JWT: ${message}`, { cause: error });
}

/** Verifies the token and the body binding; returns the claims and the `kid` that verified. */
export async function verifyJwt(
  token: string,
  webhookId: string,
  body: Uint8Array<ArrayBuffer>,
  nowMs: number,
  check: JwtCheck,
): Promise<{ claims: JWTPayload; kid: string | undefined }> {
  let used: VerificationKey | undefined;
  let claims: JWTPayload;
  try {
    const result = await jwtVerify(
      token,
      async (header) => {
        used = pick(await check.keySet.getKeys(), header);
        if (!used) {
          const fresh = await check.keySet.refresh();
          used = fresh && pick(fresh, header);
        }
        if (!used) {
          throw new WebhookVerificationError(
            'ERR_JWKS_NO_MATCHING_KEY',
            `No key in the JWKS matches kid "${header.kid}" (${header.alg})`,
          );
        }
        return used.key;
      },
      {
        algorithms: check.algorithms,
        audience: check.audience,
        ...(check.issuer === undefined ? {} : { issuer: check.issuer }),
        currentDate: new Date(nowMs),
        clockTolerance: check.clockTolerance,
        requiredClaims: ['exp', 'jti'],
      },
    );
    claims = result.payload;
  } catch (error) {
    throw mapJoseError(error);
  }
  if (claims.jti !== webhookId) {
    throw new WebhookVerificationError('ERR_JWT_CLAIM', 'JWT "jti" claim does not equal webhook-id', { claim: 'jti' });
  }
  await checkBodyHash(claims['body_sha256'], body);
  return { claims, kid: used?.kid };
}
