import type { JWK } from 'jose';
import type { EpochMs } from './records.js';

/** Algorithms used for dynamic-webhook signatures: `EdDSA` (Ed25519, `v1a`) and `RS256` (JWT mode). */
export type SigningAlgorithm = 'EdDSA' | 'RS256';

/** A dynamic-webhook signing key as stored: the private half sealed, the public half as a JWK. */
export interface SigningKeyRecord {
  /** RFC 7638 thumbprint of the public key; the JWT header `kid` and the JWKS `kid`. */
  kid: string;
  alg: SigningAlgorithm;
  /** PKCS#8 PEM sealed with the master key. */
  sealedPrivateKey: string;
  /** Public JWK with `kid`, `alg`, `use: 'sig'`. */
  publicJwk: JWK;
  createdAt: EpochMs;
  /** When it stopped signing; null while it is the active key of its algorithm. */
  retiredAt: EpochMs | null;
  /** When it leaves the JWKS; null while active. */
  expireAt: EpochMs | null;
}

/** How a project's dynamic (`webhook_config.uris`) deliveries are signed. */
export type DynamicSigningMode = 'v1a' | 'jwt';

export const DYNAMIC_SIGNING_MODES: readonly DynamicSigningMode[] = ['v1a', 'jwt'];

/** Per-project settings that are not part of the project's identity. */
export interface ProjectSettings {
  dynamicSigning: DynamicSigningMode;
}
