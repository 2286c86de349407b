import { createLocalJWKSet } from 'jose';
import { describe, expect, it } from 'vitest';
import { buildJwks } from './jwks.js';
import { generateSigningKey } from './signing-keys.js';

describe('buildJwks', () => {
  it('lists every public key in order, usable by jose createLocalJWKSet', async () => {
    const ed = await generateSigningKey('EdDSA');
    const rsa = await generateSigningKey('RS256');
    const jwks = buildJwks([ed, rsa]);
    expect(jwks).toEqual({ keys: [ed.publicJwk, rsa.publicJwk] });
    const getKey = createLocalJWKSet(jwks);
    await expect(getKey({ alg: 'RS256', kid: rsa.kid }, { payload: '', signature: '' })).resolves.toBeDefined();
  });

  it('drops private members and unknown fields', () => {
    const leaky = { kty: 'OKP', crv: 'Ed25519', x: 'AAAA', d: 'SECRET', kid: 'k1', alg: 'EdDSA', use: 'sig', extra: 1 };
    expect(buildJwks([{ publicJwk: leaky }])).toEqual({
      keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'AAAA', kid: 'k1', alg: 'EdDSA', use: 'sig' }],
    });
  });

  it('returns an empty set for no keys and rejects keys without kid', () => {
    expect(buildJwks([])).toEqual({ keys: [] });
    expect(() => buildJwks([{ publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } }])).toThrow(/kid/);
  });
});
