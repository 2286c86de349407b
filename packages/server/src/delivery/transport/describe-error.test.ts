import { describe, expect, it } from 'vitest';
import { describeError } from './describe-error.js';

describe('describeError', () => {
  it('uses a string err.code', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(describeError(err)).toEqual({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' });
  });

  it('maps AbortSignal.timeout() rejections to ETIMEDOUT, ignoring the numeric DOMException code', () => {
    const err = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(err.code).toBe(23);
    expect(describeError(err, 300)).toEqual({ code: 'ETIMEDOUT', message: 'attempt timed out after 300 ms' });
    expect(describeError(err)).toEqual({ code: 'ETIMEDOUT', message: 'attempt timed out' });
  });

  it('falls back to the cause code, then to the error name', () => {
    const cause = Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' });
    expect(describeError(new TypeError('fetch failed', { cause }))).toEqual({
      code: 'ENOTFOUND',
      message: 'fetch failed: getaddrinfo ENOTFOUND x',
    });
    expect(describeError(new RangeError('bad'))).toEqual({ code: 'RangeError', message: 'bad' });
    expect(describeError(new DOMException('stop', 'AbortError'))).toEqual({ code: 'AbortError', message: 'stop' });
  });

  it('handles non-errors and clips long messages', () => {
    expect(describeError('boom')).toEqual({ code: 'UNKNOWN', message: 'boom' });
    expect(describeError(undefined)).toEqual({ code: 'UNKNOWN', message: 'undefined' });
    expect(describeError(new Error('x'.repeat(2000))).message).toHaveLength(500);
  });
});
