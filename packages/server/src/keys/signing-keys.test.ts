import { createPublicKey, generateKeyPairSync, sign, verify, type JsonWebKey } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, importPrivateKey } from './signing-keys.js';

describe('generateSigningKey', () => {
  it('EdDSA: OKP/Ed25519 public JWK with kid = RFC 7638 thumbprint, alg and use', async () => {
    const key = await generateSigningKey('EdDSA');
    expect(key.alg).toBe('EdDSA');
    expect(key.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(key.publicJwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.any(String),
      kid: key.kid,
      alg: 'EdDSA',
      use: 'sig',
    });
    expect(key.kid).toBe(await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: key.publicJwk.x! }));
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('RS256: RSA public JWK without private members', async () => {
    const key = await generateSigningKey('RS256');
    expect(key.publicJwk).toMatchObject({ kty: 'RSA', e: 'AQAB', kid: key.kid, alg: 'RS256', use: 'sig' });
    expect(Buffer.from(key.publicJwk.n!, 'base64url')).toHaveLength(256);
    expect(key.publicJwk).not.toHaveProperty('d');
    expect(key.kid).toBe(await calculateJwkThumbprint({ kty: 'RSA', e: 'AQAB', n: key.publicJwk.n! }));
  });

  it('gives a distinct kid per key', async () => {
    const [a, b] = await Promise.all([generateSigningKey('EdDSA'), generateSigningKey('EdDSA')]);
    expect(a.kid).not.toBe(b.kid);
  });
});

describe('importPrivateKey', () => {
  it('round-trips the generated PEM into a key matching the public JWK', async () => {
    const key = await generateSigningKey('EdDSA');
    const privateKey = importPrivateKey(key.privateKeyPem);
    const publicKey = createPublicKey({ format: 'jwk', key: { ...key.publicJwk } as JsonWebKey });
    const data = Buffer.from('msg_1.1.{}');
    expect(verify(null, data, publicKey, sign(null, data, privateKey))).toBe(true);
  });

  it('rejects unsupported key types and garbage', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    expect(() => importPrivateKey(ec.toString())).toThrow(/unsupported key type ec/);
    expect(() => importPrivateKey('not a pem')).toThrow();
  });
});
