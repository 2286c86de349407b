import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { SigningAlgorithm } from '../model/signing-records.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** A freshly generated signing key: the private half to encrypt at rest, the public half for the JWKS. */
export interface SigningKeyMaterial {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key. */
  kid: string;
  alg: SigningAlgorithm;
  /** PKCS#8 PEM of the private key. Seal it (`SecretBox`) before storing. */
  privateKeyPem: string;
  /** Public JWK with `kid`, `alg` and `use: 'sig'` (OKP/Ed25519 or RSA). */
  publicJwk: JWK;
}

/**
 * Generates a signing key pair for the JWKS: Ed25519 for `EdDSA`, 2048-bit RSA for `RS256`.
 *
 * @example
 * const key = await generateSigningKey('EdDSA');
 * store.insertSigningKey({ kid: key.kid, alg: key.alg, sealedPrivateKey: box.seal(key.privateKeyPem), publicJwk: key.publicJwk });
 */
export async function generateSigningKey(alg: SigningAlgorithm): Promise<SigningKeyMaterial> {
  const { privateKey, publicKey } =
    alg === 'EdDSA'
      ? await generateKeyPairAsync('ed25519')
      : await generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return {
    kid,
    alg,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: { ...jwk, kid, alg, use: 'sig' },
  };
}

/**
 * Imports a PKCS#8 PEM private key (as produced by {@link generateSigningKey}) for `signV1a` / `signJwt`.
 *
 * @throws TypeError when the PEM is not an Ed25519 or RSA private key.
 */
export function importPrivateKey(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519' && key.asymmetricKeyType !== 'rsa') {
    throw new TypeError(`importPrivateKey: unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`);
  }
  return key;
}
