import { describe, expect, it } from 'vitest';
import { BASE36_LOWER, randomId, randomString, webhookId } from './random-id.js';

describe('randomString', () => {
  it('uses only the alphabet and returns the requested length', () => {
    expect(randomString('ab', 1000)).toMatch(/^[ab]{1000}$/);
    expect(randomString(BASE36_LOWER, 0)).toBe('');
  });

  it('covers the whole alphabet (no stuck characters)', () => {
    expect(new Set(randomString(BASE36_LOWER, 5000)).size).toBe(36);
  });

  it('rejects bad arguments', () => {
    expect(() => randomString('a', 3)).toThrow(RangeError);
    expect(() => randomString('ab', -1)).toThrow(RangeError);
    expect(() => randomString('ab', 1.5)).toThrow(RangeError);
  });
});

describe('randomId', () => {
  it('prefixes 22 base62 characters for 16 bytes, without dots', () => {
    const id = randomId('msg_');
    expect(id).toMatch(/^msg_[0-9A-Za-z]{22}$/);
    expect(randomId('evt_', 32)).toMatch(/^evt_[0-9A-Za-z]{43}$/);
  });

  it('is unique across many calls', () => {
    expect(new Set(Array.from({ length: 1000 }, () => randomId('x_'))).size).toBe(1000);
  });

  it('rejects a prefix containing a dot', () => {
    expect(() => randomId('msg.')).toThrow(/must not contain/);
  });
});

describe('webhookId', () => {
  it('is 36 characters of [0-9a-z]', () => {
    for (let i = 0; i < 50; i++) expect(webhookId()).toMatch(/^[0-9a-z]{36}$/);
  });
});
