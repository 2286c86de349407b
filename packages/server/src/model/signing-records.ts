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

/** The mode of projects created without one: `jwt`, as the Gemini webhooks guide documents (ADR 0009). */
export const DEFAULT_DYNAMIC_SIGNING: DynamicSigningMode = 'jwt';

/** Per-project settings that are not part of the project's identity. */
export interface ProjectSettings {
  dynamicSigning: DynamicSigningMode;
  /**
   * The JWT `aud` of this project's `jwt` deliveries ("your configured audience" in the guide);
   * absent: the destination URI. `null` in a patch clears it.
   */
  dynamicAudience?: string;
}

/** A change to {@link ProjectSettings}; `dynamicAudience: null` clears the audience. */
export interface ProjectSettingsPatch {
  dynamicSigning?: DynamicSigningMode;
  dynamicAudience?: string | null;
}

/** A `projects` row's settings columns → {@link ProjectSettings}. */
export function toProjectSettings(r: { dynamic_signing: string; dynamic_audience: string | null }): ProjectSettings {
  return {
    dynamicSigning: r.dynamic_signing === 'v1a' ? 'v1a' : 'jwt',
    ...(r.dynamic_audience !== null ? { dynamicAudience: r.dynamic_audience } : {}),
  };
}
