import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashApiKey, newApiKey } from './api-key.js';

describe('newApiKey', () => {
  it('is hk_ + 32 base62 characters and unique', () => {
    const key = newApiKey();
    expect(key).toMatch(/^hk_[0-9A-Za-z]{32}$/);
    expect(newApiKey()).not.toBe(key);
  });
});

describe('hashApiKey', () => {
  it('is the lowercase hex SHA-256 of the key', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const key = newApiKey();
    expect(hashApiKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
  });
});
