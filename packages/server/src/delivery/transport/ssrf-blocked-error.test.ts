import { describe, expect, it } from 'vitest';
import { SsrfBlockedError } from './ssrf-blocked-error.js';

describe('SsrfBlockedError', () => {
  it('carries the code, the address and a message naming both host and address', () => {
    const err = new SsrfBlockedError('127.0.0.1', 'loopback', 'localhost');
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'ESSRFBLOCKED', name: 'SsrfBlockedError', address: '127.0.0.1' });
    expect(err.message).toBe(
      'SSRF guard: refusing to connect to localhost (127.0.0.1): loopback address is not an allowed destination',
    );
    expect(new SsrfBlockedError('10.0.0.1', 'private').message).toContain('connect to 10.0.0.1: private');
  });
});
