import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readResponseExcerpt, utf8Excerpt } from './response-excerpt.js';

describe('utf8Excerpt', () => {
  it('keeps short text whole', () => {
    expect(utf8Excerpt(Buffer.from('{"ok":true}'), 4096)).toBe('{"ok":true}');
    expect(utf8Excerpt(new Uint8Array(0), 10)).toBe('');
  });

  it('never splits a multi-byte character', () => {
    const bytes = Buffer.from('aé✓😀');
    expect(utf8Excerpt(bytes, 1)).toBe('a');
    expect(utf8Excerpt(bytes, 2)).toBe('a');
    expect(utf8Excerpt(bytes, 3)).toBe('aé');
    expect(utf8Excerpt(bytes, 5)).toBe('aé');
    expect(utf8Excerpt(bytes, 6)).toBe('aé✓');
    expect(utf8Excerpt(bytes, 9)).toBe('aé✓');
    expect(utf8Excerpt(bytes, 10)).toBe('aé✓😀');
  });

  it('keeps the UTF-8 size within the limit even when invalid bytes expand to U+FFFD, and replaces NUL', () => {
    const binary = Buffer.alloc(100, 0xff);
    const text = utf8Excerpt(binary, 100);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(100);
    expect(text).toBe('\uFFFD'.repeat(33));
    expect(utf8Excerpt(Buffer.from('a\0b'), 10)).toBe('a\uFFFDb');
  });
});

describe('readResponseExcerpt', () => {
  it('keeps the first bytes and drains a moderate rest', async () => {
    const body = Readable.from([Buffer.from('hello '), Buffer.from('world'), Buffer.alloc(1000, 'x')]);
    expect(await readResponseExcerpt(body, 8)).toEqual({ text: 'hello wo' });
    expect(body.readableEnded).toBe(true);
  });

  it('cuts off a body larger than the drain limit without reporting an error', async () => {
    let produced = 0;
    const body = new Readable({
      read() {
        produced += 1024;
        this.push(Buffer.alloc(1024, 'y'));
      },
    });
    expect(await readResponseExcerpt(body, 4, 8 * 1024)).toEqual({ text: 'yyyy' });
    expect(body.destroyed).toBe(true);
    expect(produced).toBeLessThan(64 * 1024);
  });

  it('returns what was read plus the stream error', async () => {
    const err = new Error('socket hang up');
    const body = new Readable({ read() {} });
    body.push('part');
    setImmediate(() => body.destroy(err));
    expect(await readResponseExcerpt(body, 100)).toEqual({ text: 'part', error: err });
  });
});
