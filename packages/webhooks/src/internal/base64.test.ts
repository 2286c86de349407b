import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';

describe('base64 helpers', () => {
  it('decodes standard and URL-safe, padded or not', () => {
    const bytes = new Uint8Array([251, 255, 191, 1]);
    expect(encodeBase64(bytes)).toBe('+/+/AQ==');
    expect(decodeBase64('+/+/AQ==')).toEqual(bytes);
    expect(decodeBase64('+/+/AQ')).toEqual(bytes);
    expect(decodeBase64('-_-_AQ')).toEqual(bytes);
  });

  it('rejects invalid input', () => {
    for (const bad of ['a', 'ab cd', 'ab!d', 'a===', '=abc']) expect(decodeBase64(bad)).toBeUndefined();
  });
});
