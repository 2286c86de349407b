import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveSessionSecret, parseCookies, serializeCookie, SessionCodec } from './session.js';

const T0 = 1_800_000_000_000;
const codec = new SessionCodec(randomBytes(32));

describe('SessionCodec', () => {
  it('round-trips a session without carrying the API key', () => {
    const { token, session } = codec.issue({ projectId: 'p1', keyHash: 'ab'.repeat(32), now: T0 });
    expect(codec.verify(token, T0 + 1)).toEqual(session);
    expect(token).not.toContain('hk_');
  });

  it('rejects tampered, foreign, malformed and expired tokens', () => {
    const { token } = codec.issue({ projectId: 'p1', keyHash: 'h', now: T0, ttlMs: 1000 });
    const [body, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), p: 'p2' }),
    ).toString('base64url');
    expect(codec.verify(`${forged}.${mac}`, T0)).toBeUndefined();
    expect(new SessionCodec(randomBytes(32)).verify(token, T0)).toBeUndefined();
    expect(codec.verify('garbage', T0)).toBeUndefined();
    expect(codec.verify('', T0)).toBeUndefined();
    expect(codec.verify(undefined, T0)).toBeUndefined();
    expect(codec.verify(token, T0 + 1000)).toBeUndefined();
  });

  it('derives a per-session CSRF token and checks it in constant time', () => {
    const a = codec.issue({ projectId: 'p1', keyHash: 'h', now: T0 }).session;
    const b = codec.issue({ projectId: 'p1', keyHash: 'h', now: T0 }).session;
    const t = codec.csrfToken(a);
    expect(codec.checkCsrf(a, t)).toBe(true);
    expect(codec.checkCsrf(b, t)).toBe(false);
    expect(codec.checkCsrf(a, undefined)).toBe(false);
    expect(codec.checkCsrf(a, `${t}x`)).toBe(false);
  });

  it('ties the login form token to the nonce cookie (double submit)', () => {
    const n = codec.newLoginNonce();
    expect(codec.checkLoginCsrf(n, codec.loginCsrfToken(n))).toBe(true);
    expect(codec.checkLoginCsrf(codec.newLoginNonce(), codec.loginCsrfToken(n))).toBe(false);
    expect(codec.checkLoginCsrf(undefined, codec.loginCsrfToken(n))).toBe(false);
    expect(codec.checkLoginCsrf(n, undefined)).toBe(false);
  });

  it('derives a stable 32-byte secret from the master key', () => {
    const mk = randomBytes(32);
    expect(deriveSessionSecret(mk)).toEqual(deriveSessionSecret(mk));
    expect(deriveSessionSecret(mk)).toHaveLength(32);
    expect(deriveSessionSecret(mk).equals(Buffer.from(mk))).toBe(false);
  });
});

describe('cookies', () => {
  it('serializes HttpOnly, SameSite=Strict, Path=/ and Secure only on https', () => {
    expect(serializeCookie('s', 'v', { secure: false, maxAgeSeconds: 60 })).toBe(
      's=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=60',
    );
    expect(serializeCookie('s', 'v', { secure: true })).toBe('s=v; Path=/; HttpOnly; SameSite=Strict; Secure');
  });

  it('parses a Cookie header', () => {
    const c = parseCookies('a=1; b=x.y=z; a=2; bad');
    expect(c.get('a')).toBe('1');
    expect(c.get('b')).toBe('x.y=z');
    expect(c.has('bad')).toBe(false);
    expect(parseCookies(undefined).size).toBe(0);
  });
});
