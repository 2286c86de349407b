import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.js';

describe('createSecretBox', () => {
  const key = randomBytes(32);

  it('round-trips UTF-8 plaintext, including empty and non-ASCII strings', () => {
    const box = createSecretBox(key);
    for (const text of ['', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'Zoë ✓ 🔐', 'x'.repeat(10_000)]) {
      expect(box.open(box.seal(text))).toBe(text);
    }
  });

  it('produces a compact versioned string with a fresh nonce each time', () => {
    const box = createSecretBox(key);
    const a = box.seal('same');
    const b = box.seal('same');
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
  });

  it('rejects a wrong key with a clear error', () => {
    const sealed = createSecretBox(key).seal('secret');
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow(/wrong master key or tampered/);
  });

  it('rejects tampered ciphertext, tag and nonce', () => {
    const box = createSecretBox(key);
    const [v, nonce, body] = box.seal('secret value').split('.') as [string, string, string];
    const flip = (s: string, i: number): string => {
      const buf = Buffer.from(s, 'base64url');
      buf[i] = (buf[i] ?? 0) ^ 1;
      return buf.toString('base64url');
    };
    expect(() => box.open(`${v}.${nonce}.${flip(body, 0)}`)).toThrow(/tampered/);
    expect(() => box.open(`${v}.${nonce}.${flip(body, Buffer.from(body, 'base64url').length - 1)}`)).toThrow(
      /tampered/,
    );
    expect(() => box.open(`${v}.${flip(nonce, 3)}.${body}`)).toThrow(/tampered/);
  });

  it('rejects malformed values', () => {
    const box = createSecretBox(key);
    expect(() => box.open('plain text')).toThrow(/malformed/);
    expect(() => box.open('v2.AAAA.AAAA')).toThrow(/malformed/);
    expect(() => box.open('v1.AAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toThrow(/malformed/);
    expect(() => box.open('v1.AAAAAAAAAAAAAAAA.AAAA')).toThrow(/malformed/);
  });

  it('requires a 32-byte key', () => {
    expect(() => createSecretBox(new Uint8Array(16))).toThrow(/32 bytes, got 16/);
  });

  it('copies the key so later mutation of the caller buffer has no effect', () => {
    const mutable = Uint8Array.from(key);
    const box = createSecretBox(mutable);
    const sealed = box.seal('x');
    mutable.fill(0);
    expect(box.open(sealed)).toBe('x');
  });
});
