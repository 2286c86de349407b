import { describe, expect, it } from 'vitest';
import { signedContent } from './signed-content.js';

describe('signedContent', () => {
  it('joins id, timestamp and the exact body bytes with dots', () => {
    expect(signedContent({ msgId: 'msg_1', timestamp: 1614265330, body: '{"a":"ë"}' }).toString('utf8')).toBe(
      'msg_1.1614265330.{"a":"ë"}',
    );
    const bytes = Uint8Array.of(0xff, 0x00, 0x2e);
    expect(signedContent({ msgId: 'm', timestamp: 0, body: bytes })).toEqual(
      Buffer.from([...Buffer.from('m.0.'), ...bytes]),
    );
  });

  it('rejects ids with dots or empty ids and non-integer or negative timestamps', () => {
    expect(() => signedContent({ msgId: '', timestamp: 1, body: '' })).toThrow(RangeError);
    expect(() => signedContent({ msgId: 'a.b', timestamp: 1, body: '' })).toThrow(/must not contain/);
    expect(() => signedContent({ msgId: 'a', timestamp: 1.5, body: '' })).toThrow(/integer/);
    expect(() => signedContent({ msgId: 'a', timestamp: -1, body: '' })).toThrow(/integer/);
    expect(() => signedContent({ msgId: 'a', timestamp: Number.NaN, body: '' })).toThrow(/integer/);
  });
});
