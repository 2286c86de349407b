import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UrlPolicy } from '../../delivery/transport/check-destination-uri.js';
import type { Clock } from '../../kernel/clock.js';
import type { DeliveryService } from '../../services/delivery-service.js';
import type { PortalSessionService } from '../../services/portal-session-service.js';
import type { ProjectService } from '../../services/project-service.js';
import type { ReplayService } from '../../services/replay-service.js';
import type { WebhookService } from '../../services/webhook-service.js';
import type { SafeHtml } from '../html.js';
import type { PortalBrand, PortalNav } from './portal-layout.js';

/** What the consumer portal needs from the rest of Herald. */
export interface PortalDeps {
  sessions: PortalSessionService;
  projects: Pick<ProjectService, 'get'>;
  webhooks: WebhookService;
  deliveries: DeliveryService;
  replay: ReplayService;
  clock: Clock;
  urlPolicy: UrlPolicy;
  /** CSP `frame-ancestors` sources (HERALD_PORTAL_FRAME_ANCESTORS). */
  frameAncestors: string;
  /** Whether an error says the database cannot be reached right now. */
  isUnavailable: (err: unknown) => boolean;
}

/** The customer of a request: their project, its branding, the session's CSRF token and URL base. */
export interface PortalViewerOf {
  projectId: string;
  csrf: string;
  brand: PortalBrand;
  /** `/portal/s/<secret>`: every link and form of the session starts with it. */
  base: string;
}

export interface PortalRuntime extends PortalDeps {
  viewer(req: FastifyRequest): PortalViewerOf;
  send(
    reply: FastifyReply,
    req: FastifyRequest,
    input: { title: string; active: PortalNav | null; body: SafeHtml; status?: number },
  ): FastifyReply;
}
