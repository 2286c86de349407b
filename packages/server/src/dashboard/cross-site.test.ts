import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { isCrossSite, saysSameOrigin } from './cross-site.js';

const req = (headers: Record<string, string>) =>
  ({ headers: { host: '127.0.0.1:8080', ...headers } }) as FastifyRequest;

describe('saysSameOrigin (portal POSTs)', () => {
  it.each([
    [{ 'sec-fetch-site': 'same-origin' }, true],
    [{ 'sec-fetch-site': 'same-origin', origin: 'null' }, true],
    [{ 'sec-fetch-site': 'same-origin', origin: 'http://127.0.0.1:8080' }, true],
    [{ origin: 'http://127.0.0.1:8080' }, true],
    [{}, false],
    [{ origin: 'null' }, false],
    [{ origin: 'http://localhost:8080' }, false],
    [{ 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:8080' }, false],
    [{ 'sec-fetch-site': 'cross-site' }, false],
    [{ 'sec-fetch-site': 'none' }, false],
    [{ 'sec-fetch-site': 'same-origin', origin: 'http://evil.test' }, false],
  ])('%j → %s', (headers, expected) => {
    expect(saysSameOrigin(req(headers))).toBe(expected);
  });
});

describe('isCrossSite (dashboard)', () => {
  it('refuses cross-site and foreign origins, lets same-origin and header-less requests through', () => {
    expect(isCrossSite(req({ 'sec-fetch-site': 'cross-site' }))).toBe(true);
    expect(isCrossSite(req({ origin: 'http://evil.test' }))).toBe(true);
    expect(isCrossSite(req({ origin: 'http://127.0.0.1:8080' }))).toBe(false);
    expect(isCrossSite(req({}))).toBe(false);
  });
});
