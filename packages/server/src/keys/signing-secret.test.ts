import { describe, expect, it } from 'vitest';
import { decodeSigningSecret, newSigningSecret, truncateSecret } from './signing-secret.js';

describe('newSigningSecret', () => {
  it('is whsec_ + padded base64 of 32 random bytes', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(decodeSigningSecret(secret)).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(secret);
  });
});

describe('truncateSecret', () => {
  it('shows only the last 4 characters', () => {
    expect(truncateSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe('whsec_...LaSw');
  });
});

describe('decodeSigningSecret', () => {
  it('accepts the secret with or without the prefix (official test secret, 24 bytes)', () => {
    const a = decodeSigningSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(a).toHaveLength(24);
    expect(decodeSigningSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toEqual(a);
  });

  it('rejects empty, non-base64 and out-of-range secrets', () => {
    expect(() => decodeSigningSecret('')).toThrow(/standard base64/);
    expect(() => decodeSigningSecret('whsec_')).toThrow(/standard base64/);
    expect(() => decodeSigningSecret('whsec_not base64!')).toThrow(/standard base64/);
    expect(() => decodeSigningSecret(`whsec_${Buffer.alloc(23).toString('base64')}`)).toThrow(/got 23/);
    expect(() => decodeSigningSecret(`whsec_${Buffer.alloc(65).toString('base64')}`)).toThrow(/got 65/);
  });
});
