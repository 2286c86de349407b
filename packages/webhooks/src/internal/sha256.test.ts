import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHmacSha256, sha256 } from './sha256.js';

describe('pure SHA-256 / HMAC-SHA256 fallback', () => {
  it('matches node:crypto for lengths around block boundaries', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 70_000]) {
      const data = randomBytes(length);
      expect(Buffer.from(sha256([data])).toString('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('matches node:crypto HMAC for short and long (> 64 bytes) keys and split input', () => {
    for (const keyLength of [24, 32, 64, 65, 100]) {
      const key = randomBytes(keyLength);
      const a = randomBytes(37);
      const b = randomBytes(300);
      const expected = createHmac('sha256', key).update(a).update(b).digest('hex');
      expect(Buffer.from(createHmacSha256(key)([a, b])).toString('hex')).toBe(expected);
    }
  });
});
