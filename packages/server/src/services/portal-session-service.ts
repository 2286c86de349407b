import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hashApiKey } from '../keys/api-key.js';
import type { Clock } from '../kernel/clock.js';
import type { PortalSessionRepo } from '../ports/portal-session-repo.js';
import type { PortalLinkService } from './portal-link-service.js';

/** A portal session slides by `idleMs` on use, and ends `maxMs` after the link was opened at the latest. */
export const PORTAL_SESSION_TTL = { idleMs: 3_600_000, maxMs: 12 * 3_600_000 } as const;

const SECRET = /^ps_[A-Za-z0-9_-]{43}$/;

/** What opening a portal link gave. */
export type PortalEntry = { kind: 'ok'; projectId: string; secret: string } | { kind: 'expired' } | { kind: 'invalid' };

/** A live portal session. */
export interface PortalViewer {
  projectId: string;
  /** The session's CSRF token (the same for its whole life). */
  csrf: string;
  expireAt: number;
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Consumer-portal sessions: a one-time portal link is exchanged for a session whose 256-bit
 * secret (`ps_…`) travels in the URL path, because the portal runs in a cross-site iframe where
 * cookies are blocked or partitioned. Only the SHA-256 of the secret is stored. Its CSRF token is
 * an HMAC of that hash, so it never needs storing either.
 *
 * @example
 * const entry = await sessions.enter(token); // from GET /portal/enter?token=hp_…
 * if (entry.kind === 'ok') redirect(`/portal/s/${entry.secret}/`);
 */
export class PortalSessionService {
  readonly #sessions: PortalSessionRepo;
  readonly #links: Pick<PortalLinkService, 'use'>;
  readonly #clock: Clock;
  readonly #csrfKey: Buffer;

  constructor(deps: {
    sessions: PortalSessionRepo;
    links: Pick<PortalLinkService, 'use'>;
    clock: Clock;
    /** HMAC key for CSRF tokens (at least 32 bytes; the dashboard's session secret). */
    csrfKey: Uint8Array;
  }) {
    if (deps.csrfKey.length < 32) throw new Error('portal CSRF key must be at least 32 bytes');
    this.#sessions = deps.sessions;
    this.#links = deps.links;
    this.#clock = deps.clock;
    this.#csrfKey = Buffer.from(deps.csrfKey);
  }

  /** Uses the link (once) and, when it is good, opens a session in its project. */
  async enter(token: string): Promise<PortalEntry> {
    const use = await this.#links.use(token);
    if (use.kind === 'expired') return { kind: 'expired' };
    if (use.kind !== 'ok') return { kind: 'invalid' };
    const secret = `ps_${randomBytes(32).toString('base64url')}`;
    const now = this.#clock.now();
    await this.#sessions.addPortalSession({
      hash: hashApiKey(secret),
      projectId: use.projectId,
      createdAt: now,
      expireAt: now + PORTAL_SESSION_TTL.idleMs,
    });
    return { kind: 'ok', projectId: use.projectId, secret };
  }

  /** The session of a secret, or undefined (malformed, unknown or expired). Slides its expiry. */
  async resolve(secret: string): Promise<PortalViewer | undefined> {
    if (!SECRET.test(secret)) return undefined;
    const hash = hashApiKey(secret);
    const now = this.#clock.now();
    const found = await this.#sessions.getPortalSession(hash, now);
    if (!found) return undefined;
    let expireAt = found.expireAt;
    // Written at most once per half window, never past the absolute end.
    const slid = Math.min(found.createdAt + PORTAL_SESSION_TTL.maxMs, now + PORTAL_SESSION_TTL.idleMs);
    if (slid - expireAt > PORTAL_SESSION_TTL.idleMs / 2) {
      await this.#sessions.extendPortalSession(hash, slid);
      expireAt = slid;
    }
    return { projectId: found.projectId, csrf: this.#csrf(hash), expireAt };
  }

  /** Whether `token` is the CSRF token of the session with this secret. */
  checkCsrf(secret: string, token: string | undefined): boolean {
    return typeof token === 'string' && SECRET.test(secret) && equal(token, this.#csrf(hashApiKey(secret)));
  }

  #csrf(hash: string): string {
    return createHmac('sha256', this.#csrfKey).update(`portal csrf\n${hash}`).digest('base64url');
  }
}
