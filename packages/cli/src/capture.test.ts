import { describe, expect, it } from 'vitest';
import { CaptureError, headerObject, parseCapture } from './capture.js';

const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('parseCapture', () => {
  it('reads a raw request with CRLF line ends: request line, headers, body bytes', () => {
    const c = parseCapture(
      enc('POST /webhooks HTTP/1.1\r\nHost: example.com\r\nWebhook-Id: msg_1\r\nContent-Length: 9\r\n\r\n{"a":"b"}'),
    );
    expect(c.method).toBe('POST');
    expect(c.target).toBe('/webhooks');
    expect(c.headers).toMatchObject({ host: ['example.com'], 'webhook-id': ['msg_1'] });
    expect(text(c.body)).toBe('{"a":"b"}');
    expect(c.notes).toEqual([]);
  });

  it('reads headers without a request line, with LF line ends', () => {
    const c = parseCapture(enc('webhook-id: msg_1\nwebhook-timestamp: 1\n\n{}'));
    expect(c.method).toBeUndefined();
    expect(headerObject(c)).toEqual({ 'webhook-id': 'msg_1', 'webhook-timestamp': '1' });
    expect(text(c.body)).toBe('{}');
  });

  it('keeps the body exact, including inner blank lines and CRLFs', () => {
    const body = '{\r\n\r\n"a": 1\n\n}';
    const c = parseCapture(enc(`x-a: 1\r\n\r\n${body}`));
    expect(text(c.body)).toBe(body);
  });

  it('cuts the body to Content-Length and says so', () => {
    const c = parseCapture(enc('content-length: 2\n\n{}\n'));
    expect(text(c.body)).toBe('{}');
    expect(c.notes[0]).toMatch(/ignored 1 trailing line-break byte/);
    expect(c.maybeAddedNewline).toBe(false);
  });

  it('notes a body shorter than Content-Length', () => {
    const c = parseCapture(enc('content-length: 10\n\n{}'));
    expect(c.notes[0]).toMatch(/cut short/);
  });

  it('flags a final newline when there is no Content-Length', () => {
    expect(parseCapture(enc('a: 1\n\n{}\n')).maybeAddedNewline).toBe(true);
    expect(parseCapture(enc('a: 1\n\n{}')).maybeAddedNewline).toBe(false);
  });

  it('decodes a chunked body', () => {
    const c = parseCapture(enc('transfer-encoding: chunked\r\n\r\n4\r\n{"a"\r\n4;ext=1\r\n:12}\r\n0\r\n\r\n'));
    expect(text(c.body)).toBe('{"a":12}');
    expect(c.notes).toContain('decoded the chunked body');
  });

  it('reads `curl -v` request lines and folded header lines, and repeated headers as arrays', () => {
    const c = parseCapture(enc('> POST /h HTTP/1.1\n> webhook-signature: v1,a\n>   v1,b\n> x: 1\n> x: 2\n>\n\n{}'));
    expect(c.method).toBe('POST');
    expect(c.headers['webhook-signature']).toEqual(['v1,a v1,b']);
    expect(headerObject(c).x).toEqual(['1', '2']);
  });

  it('skips a response status line with a note', () => {
    const c = parseCapture(enc('HTTP/1.1 200 OK\nwebhook-id: m\n\n{}'));
    expect(c.headers['webhook-id']).toEqual(['m']);
    expect(c.notes[0]).toMatch(/response status line/);
  });

  it('rejects a capture without a blank line, or with a line that is not a header', () => {
    expect(() => parseCapture(enc('{"just":"a body"}'))).toThrow(CaptureError);
    expect(() => parseCapture(enc('webhook-id: 1\nnot a header\n\n{}'))).toThrow(
      /line 2 of the capture is not a header/,
    );
    expect(() => parseCapture(enc('transfer-encoding: chunked\n\nzz\r\n'))).toThrow(/bad chunk size/);
  });

  it('ignores blank lines before the request', () => {
    expect(parseCapture(enc('\n\r\nPOST / HTTP/1.1\nA: b\n\nx')).method).toBe('POST');
  });
});
