import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a dashboard session cookie carries (signed, not encrypted: it holds no secret). */
export interface Session {
  /** The project the API key belongs to. */
  projectId: string;
  /**
   * SHA-256 of the API key (the value the store looks keys up by), so every request checks
   * that the key still exists and is not revoked. Not the key: the key never leaves the login.
   */
  keyHash: string;
  issuedAt: number;
  expiresAt: number;
  /** Random per session: the CSRF token is derived from it. */
  nonce: string;
}

/** A dashboard session lasts this long (then log in again). */
export const SESSION_TTL_MS = 12 * 3_600_000;

const b64u = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

/** Derives the dashboard's HMAC key from the master key, so sessions survive restarts. */
export function deriveSessionSecret(masterKey: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'herald dashboard session v1', 32));
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Signs and checks session tokens (`base64url(json).base64url(hmac)`) and derives CSRF tokens:
 * a synchronizer token per session (HMAC of its nonce) and, before login, a double-submit token
 * tied to a random nonce held in its own cookie.
 */
export class SessionCodec {
  readonly #secret: Buffer;

  constructor(secret: Uint8Array) {
    if (secret.length < 32) throw new Error('session secret must be at least 32 bytes');
    this.#secret = Buffer.from(secret);
  }

  #mac(purpose: string, data: string): string {
    return createHmac('sha256', this.#secret).update(`${purpose}\n${data}`).digest('base64url');
  }

  issue(input: { projectId: string; keyHash: string; now: number; ttlMs?: number }): {
    token: string;
    session: Session;
  } {
    const session: Session = {
      projectId: input.projectId,
      keyHash: input.keyHash,
      issuedAt: input.now,
      expiresAt: input.now + (input.ttlMs ?? SESSION_TTL_MS),
      nonce: b64u(randomBytes(18)),
    };
    const body = b64u(
      JSON.stringify({
        v: 1,
        p: session.projectId,
        h: session.keyHash,
        i: session.issuedAt,
        e: session.expiresAt,
        n: session.nonce,
      }),
    );
    return { token: `${body}.${this.#mac('session', body)}`, session };
  }

  /** The session of a token, or undefined when it is malformed, forged or expired. */
  verify(token: string | undefined, now: number): Session | undefined {
    if (!token || token.length > 2048) return undefined;
    const dot = token.indexOf('.');
    if (dot <= 0) return undefined;
    const body = token.slice(0, dot);
    if (!equal(token.slice(dot + 1), this.#mac('session', body))) return undefined;
    let p: unknown;
    try {
      p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof p !== 'object' || p === null) return undefined;
    const o = p as Record<string, unknown>;
    if (
      o.v !== 1 ||
      typeof o.p !== 'string' ||
      typeof o.h !== 'string' ||
      typeof o.i !== 'number' ||
      typeof o.e !== 'number' ||
      typeof o.n !== 'string'
    )
      return undefined;
    if (now >= o.e) return undefined;
    return { projectId: o.p, keyHash: o.h, issuedAt: o.i, expiresAt: o.e, nonce: o.n };
  }

  /** The CSRF token of a session (same for its whole life). */
  csrfToken(session: Session): string {
    return this.#mac('csrf', session.nonce);
  }

  checkCsrf(session: Session, token: string | undefined): boolean {
    return typeof token === 'string' && equal(token, this.csrfToken(session));
  }

  /** A fresh nonce for the login form's cookie. */
  newLoginNonce(): string {
    return b64u(randomBytes(18));
  }

  loginCsrfToken(nonce: string): string {
    return this.#mac('login', nonce);
  }

  checkLoginCsrf(nonce: string | undefined, token: string | undefined): boolean {
    return (
      typeof nonce === 'string' &&
      nonce.length > 0 &&
      typeof token === 'string' &&
      equal(token, this.loginCsrfToken(nonce))
    );
  }
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  secure: boolean;
}

/** `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, plus Secure on https. */
export function serializeCookie(name: string, value: string, opts: CookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (opts.maxAgeSeconds !== undefined) parts.push(`Max-Age=${opts.maxAgeSeconds}`);
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Parses a `Cookie` header; the first value of a repeated name wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}
