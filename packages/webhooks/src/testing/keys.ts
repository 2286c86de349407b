/**
 * Test keys and signers: Ed25519 (v1a) and RSA (RS256 JWT) pairs generated with jose, v1a
 * signatures with WebCrypto, Herald-shaped JWTs with jose's SignJWT.
 */

import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface TestKeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** Ed25519 pair; `publicJwk` is `{kty:'OKP',crv:'Ed25519',x,kid,alg:'EdDSA',use:'sig'}`. */
export async function ed25519Key(kid: string): Promise<TestKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' } };
}

/** RSA-2048 pair; `publicJwk` is `{kty:'RSA',n,e,kid,alg:'RS256',use:'sig'}`. */
export async function rsaKey(kid: string): Promise<TestKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** `v1a,<base64>` over `${id}.${timestamp}.${body}`. */
export async function signV1a(key: TestKeyPair, id: string, timestamp: number, body: string): Promise<string> {
  const data = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  const signature = await crypto.subtle.sign({ name: 'Ed25519' }, key.privateKey, data);
  return `v1a,${Buffer.from(signature).toString('base64')}`;
}

export interface JwtInput {
  id: string;
  body: string;
  audience: string;
  issuer?: string;
  iat: number;
  exp?: number;
  jti?: string;
  /** `'base64url'` (default), `'hex'`, `'none'` (claim omitted) or a literal claim value. */
  bodyHash?: string;
  alg?: string;
  kid?: string | null;
}

/** A Herald-shaped delivery JWT: iss, aud, iat, exp = iat + 300, jti, body_sha256 and the envelope. */
export async function mintJwt(key: TestKeyPair, input: JwtInput): Promise<string> {
  const digest = createHash('sha256').update(input.body).digest();
  const mode = input.bodyHash ?? 'base64url';
  const envelope = input.body === '' ? {} : (JSON.parse(input.body) as Record<string, unknown>);
  const claims: Record<string, unknown> = { ...envelope };
  if (mode === 'base64url') claims['body_sha256'] = digest.toString('base64url');
  else if (mode === 'hex') claims['body_sha256'] = digest.toString('hex');
  else if (mode !== 'none') claims['body_sha256'] = mode;
  const header: { alg: string; typ: string; kid?: string } = { alg: input.alg ?? 'RS256', typ: 'JWT' };
  if (input.kid !== null) header.kid = input.kid ?? key.kid;
  return new SignJWT(claims)
    .setProtectedHeader(header)
    .setIssuer(input.issuer ?? 'https://herald.test')
    .setAudience(input.audience)
    .setIssuedAt(input.iat)
    .setExpirationTime(input.exp ?? input.iat + 300)
    .setJti(input.jti ?? input.id)
    .sign(key.privateKey);
}
