import { hashApiKey } from '../keys/api-key.js';
import type { Clock } from '../kernel/clock.js';
import { invalidArgument, notFound } from '../kernel/domain-errors.js';
import { BASE62, randomString } from '../kernel/random-id.js';
import type { PortalLinkRepo, PortalLinkUse } from '../ports/portal-link-repo.js';
import type { ProjectRepo } from '../ports/project-repo.js';

export const PORTAL_LINK_TTL = { defaultMs: 3_600_000, minMs: 60_000, maxMs: 86_400_000 } as const;
/** Where the portal takes a magic link (the path of `url`). */
export const PORTAL_ENTER_PATH = '/portal/enter';

/** A Google Duration string (`"3600s"`, `"90.5s"`) → milliseconds, within the link TTL bounds. */
export function parseLinkTtl(ttl: string | undefined): number {
  if (ttl === undefined) return PORTAL_LINK_TTL.defaultMs;
  const m = /^(\d{1,6})(?:\.(\d{1,9}))?s$/.exec(ttl);
  const ms = m ? Number(m[1]) * 1000 + Math.round(Number(`0.${m[2] ?? '0'}`) * 1000) : NaN;
  if (!(ms >= PORTAL_LINK_TTL.minMs && ms <= PORTAL_LINK_TTL.maxMs))
    throw invalidArgument(
      `ttl "${ttl.slice(0, 40)}" is not valid: use seconds with an "s" suffix from 60s to 86400s, e.g. "3600s"`,
      'ttl',
    );
  return ms;
}

/**
 * One-time magic links into a project's consumer portal: minted by the admin plane (the API
 * builder's backend), opened once by their customer's browser. Only the SHA-256 of a token is
 * stored; the token is in the answer only.
 *
 * @example
 * const { url } = await links.create('acme', { ttl: '600s' }); // put url in an <iframe src>
 */
export class PortalLinkService {
  readonly #links: PortalLinkRepo;
  readonly #projects: Pick<ProjectRepo, 'getProject'>;
  readonly #clock: Clock;
  readonly #publicUrl: () => string;

  constructor(deps: {
    links: PortalLinkRepo;
    projects: Pick<ProjectRepo, 'getProject'>;
    clock: Clock;
    publicUrl: () => string;
  }) {
    this.#links = deps.links;
    this.#projects = deps.projects;
    this.#clock = deps.clock;
    this.#publicUrl = deps.publicUrl;
  }

  async create(projectId: string, input: { ttl?: string | undefined }) {
    const ttlMs = parseLinkTtl(input.ttl);
    if (!(await this.#projects.getProject(projectId))) throw notFound(`project "${projectId}" not found`);
    const token = `hp_${randomString(BASE62, 43)}`;
    const now = this.#clock.now();
    const expireAt = now + ttlMs;
    await this.#links.addPortalLink({ hash: hashApiKey(token), projectId, createdAt: now, expireAt });
    const url = `${this.#publicUrl().replace(/\/+$/, '')}${PORTAL_ENTER_PATH}?token=${token}`;
    return { url, token, expireAt };
  }

  /** Uses the link (once): `ok` with its project, or why not (`expired`, `used`, `unknown`). */
  use(token: string): Promise<PortalLinkUse> {
    if (!/^hp_[0-9A-Za-z]{43}$/.test(token)) return Promise.resolve({ kind: 'unknown' });
    return this.#links.usePortalLink(hashApiKey(token), this.#clock.now());
  }
}
