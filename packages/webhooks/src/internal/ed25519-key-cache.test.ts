import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { countingImporter as counting } from '../testing/counting-importer.js';
import { ed25519Importer } from './ed25519.js';
import { Ed25519KeyCache } from './ed25519-key-cache.js';

function rawKey(): Uint8Array<ArrayBuffer> {
  const { publicKey } = generateKeyPairSync('ed25519');
  return new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'));
}

describe('Ed25519KeyCache', () => {
  it('imports a key once and hands back the same imported key', async () => {
    const importer = counting();
    const cache = new Ed25519KeyCache(importer);
    const raw = rawKey();
    const first = await cache.get(raw);
    expect(await cache.get(new Uint8Array(raw))).toBe(first);
    expect(importer.calls).toBe(1);
  });

  it('is bounded: holds at most `capacity` keys and evicts the least recently used', async () => {
    const importer = counting();
    const cache = new Ed25519KeyCache(importer, 2);
    const [a, b, c] = [rawKey(), rawKey(), rawKey()];
    await cache.get(a);
    await cache.get(b);
    await cache.get(a); // a is now the most recently used
    await cache.get(c); // evicts b
    expect(cache.size).toBe(2);
    expect(importer.calls).toBe(3);
    await cache.get(a);
    expect(importer.calls).toBe(3);
    await cache.get(b);
    expect(importer.calls).toBe(4);
    expect(cache.size).toBe(2);
  });

  it('does not cache a failed import', async () => {
    let fail = true;
    const real = ed25519Importer();
    const importer = counting((raw) => (fail ? Promise.reject(new Error('boom')) : real(raw)));
    const cache = new Ed25519KeyCache(importer);
    const raw = rawKey();
    await expect(cache.get(raw)).rejects.toThrow('boom');
    await Promise.resolve();
    expect(cache.size).toBe(0);
    fail = false;
    await expect(cache.get(raw)).resolves.toBeDefined();
    expect(importer.calls).toBe(2);
  });

  it('retainOnly drops the keys that are not listed', async () => {
    const cache = new Ed25519KeyCache(counting());
    const [a, b] = [rawKey(), rawKey()];
    await cache.get(a);
    await cache.get(b);
    cache.retainOnly(new Set([Ed25519KeyCache.idOf(b)]));
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('rejects a capacity below 1', () => {
    expect(() => new Ed25519KeyCache(counting(), 0)).toThrow(RangeError);
  });
});
