import { Type, type Static } from 'typebox';

export const SIGNING_KEY_ALGORITHMS = ['EdDSA', 'RS256'] as const;
export type SigningKeyAlgorithm = (typeof SIGNING_KEY_ALGORITHMS)[number];

/** A dynamic-webhook signing key (public metadata only; the private key never leaves the server). */
export const SigningKey = Type.Object(
  {
    kid: Type.String({ description: 'RFC 7638 JWK thumbprint; the `kid` in the JWKS and in JWT headers' }),
    alg: Type.String({ enum: [...SIGNING_KEY_ALGORITHMS], description: 'EdDSA signs `v1a`, RS256 signs JWTs' }),
    state: Type.String({ enum: ['active', 'retired'], description: 'Only the active key of an algorithm signs' }),
    create_time: Type.String({ format: 'date-time' }),
    retire_time: Type.Optional(Type.String({ format: 'date-time' })),
    expire_time: Type.Optional(
      Type.String({ format: 'date-time', description: 'When a retired key leaves /.well-known/jwks.json' }),
    ),
    public_jwk: Type.Record(Type.String(), Type.Unknown(), { description: 'As published in the JWKS' }),
  },
  { $id: 'SigningKey' },
);
export type SigningKey = Static<typeof SigningKey>;

export const SigningKeyList = Type.Object(
  { signing_keys: Type.Array(SigningKey, { description: 'Every published key: active first, then retired' }) },
  { $id: 'SigningKeyList' },
);
export type SigningKeyList = Static<typeof SigningKeyList>;

export const RotateSigningKeysRequest = Type.Object(
  {
    alg: Type.Optional(
      Type.String({ enum: [...SIGNING_KEY_ALGORITHMS], description: 'Rotate only this algorithm (default: both)' }),
    ),
  },
  { additionalProperties: false, $id: 'RotateSigningKeysRequest' },
);
export type RotateSigningKeysRequest = Static<typeof RotateSigningKeysRequest>;

/** `GET /.well-known/jwks.json`: the public keys (RFC 7517) that verify dynamic deliveries. */
export const Jwks = Type.Object(
  {
    keys: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
      description: 'OKP (Ed25519, v1a) and RSA (RS256, JWT) keys, each with kid, use "sig" and alg',
    }),
  },
  { $id: 'Jwks' },
);
export type Jwks = Static<typeof Jwks>;
