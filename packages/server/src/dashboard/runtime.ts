import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../kernel/clock.js';
import { asApiError } from '../http/from-domain-error.js';
import type { OperationService } from '../operations/operation-service.js';
import type { ReplayService } from '../services/replay-service.js';
import type { EventLog } from '../ports/event-log.js';
import type { OperationRepo } from '../ports/operation-repo.js';
import type { ApiKeyService } from '../services/api-key-service.js';
import type { DeliveryService } from '../services/delivery-service.js';
import type { EventService } from '../services/event-service.js';
import type { ProjectReads } from '../services/project-reads.js';
import type { UrlPolicy } from '../delivery/transport/check-destination-uri.js';
import type { KeyStreams } from '../http/key-streams.js';
import type { WebhookService } from '../services/webhook-service.js';
import type { ProjectAdminService } from '../services/project-admin-service.js';
import type { SafeHtml } from './html.js';
import { flash, page, type AssetUrls, type NavKey } from './layout.js';
import type { LiveBus } from './live-bus.js';
import type { Session, SessionCodec } from './session.js';

/** What the dashboard needs from the rest of Herald. */
export interface DashboardDeps {
  /** Wake-ups after commits (events appended, operations changed) for live refresh. */
  notices: Pick<EventLog, 'subscribeEvents'> & Pick<OperationRepo, 'subscribeOperations'>;
  apiKeys: ApiKeyService;
  deliveries: DeliveryService;
  events: EventService;
  reads: ProjectReads;
  clock: Clock;
  webhooks: WebhookService;
  replay: ReplayService;
  urlPolicy: UrlPolicy;
  live: LiveBus;
  /** HMAC key for session cookies and CSRF tokens (derived from the master key). */
  sessionSecret: Uint8Array;
  /** Mark cookies `Secure` (and `__Host-` prefixed): true when HERALD_PUBLIC_URL is https. */
  secureCookies: boolean;
  /** Whether an error says the database cannot be reached right now (the store's classifier). */
  isUnavailable: (err: unknown) => boolean;
  /** Cancelling operations from their page (read-only without it). */
  operations?: OperationService | undefined;
  /** Ends a live-update stream when the key its session was opened with is revoked. */
  keyStreams?: KeyStreams | undefined;
  /** The projects, for the operator view (admin-key sessions); without it the admin key sees one project. */
  projects?: Pick<ProjectAdminService, 'list' | 'exists'> | undefined;
}

/** The logged-in user of a request. */
export interface Viewer {
  session: Session;
  projectId: string;
  csrf: string;
  /** Logged in with the admin key: the operator, who sees every project and switches between them. */
  admin: boolean;
}

export interface Runtime extends DashboardDeps {
  codec: SessionCodec;
  assets: AssetUrls;
  /** The viewer set by the auth hook (only inside the authenticated scope). */
  viewer(req: FastifyRequest): Viewer;
  /** Points the operator's session at another project (sets the session cookie). */
  openProject(reply: FastifyReply, viewer: Viewer, projectId: string): void;
  /** Sends a full page. */
  send(
    reply: FastifyReply,
    req: FastifyRequest,
    input: { title: string; active: NavKey | null; body: SafeHtml; status?: number },
  ): FastifyReply;
}

export const isHtmx = (req: FastifyRequest) => req.headers['hx-request'] === 'true';

/** The URL-encoded form body (parsed by the dashboard's content-type parser), or an empty one. */
export function formOf(req: FastifyRequest): URLSearchParams {
  return req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
}

/** A string query parameter (the first, when repeated). */
export function queryParam(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

/** The message to show for an error thrown by a service (their messages say what to fix). */
export function messageOf(err: unknown): string {
  const known = asApiError(err);
  if (known) return known.message;
  return 'Something went wrong on the server; the details are in the server log.';
}

/** For htmx requests: an error as a flash swapped into `#flash-slot`, whatever the element's target. */
export function sendHtmxError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply
    .code(status)
    .header('hx-retarget', '#flash-slot')
    .header('hx-reswap', 'innerHTML')
    .header('hx-reselect', '.flash')
    .type('text/html; charset=utf-8')
    .send(flash('bad', message).value);
}

export function renderPage(
  rt: Pick<Runtime, 'assets'>,
  viewer: Viewer | undefined,
  input: { title: string; active: NavKey | null; body: SafeHtml },
): string {
  return page({
    title: input.title,
    assets: rt.assets,
    body: input.body,
    ...(viewer
      ? { session: { projectId: viewer.projectId, csrf: viewer.csrf, active: input.active, admin: viewer.admin } }
      : {}),
  });
}
