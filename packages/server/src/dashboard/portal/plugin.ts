import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { databaseUnavailable } from '../../http/api-error.js';
import { asApiError } from '../../http/from-domain-error.js';
import { assetUrls } from '../assets/serve.js';
import { saysSameOrigin } from '../cross-site.js';
import { html } from '../html.js';
import { flash } from '../layout.js';
import { formOf, messageOf, queryParam } from '../runtime.js';
import { registerPortalDeliveryPages } from './deliveries-pages.js';
import { registerPortalEndpointPages } from './endpoint-pages.js';
import { brandOf, logoOrigin, portalPage, type PortalBrand } from './portal-layout.js';
import type { PortalDeps, PortalRuntime, PortalViewerOf } from './portal-runtime.js';

/** Where a session's pages live: the secret is the first path segment after it. */
export const PORTAL_SESSION_PREFIX = '/portal/s';

interface PerRequest {
  nonce: string;
  viewer?: PortalViewerOf;
  brand?: PortalBrand;
}

/**
 * The consumer portal (issue #13): what an API builder embeds, in an iframe, for ITS customer.
 * `GET /portal/enter?token=hp_…` spends a one-time link and redirects to `/portal/s/<secret>/`;
 * the session lives in that path (cross-site iframes get no cookies). Every page is scoped to
 * the session's project; forms carry the session's CSRF token and must say same-origin.
 */
export const portalRoutes: FastifyPluginAsync<PortalDeps> = async (app, deps) => {
  const assets = assetUrls();
  const state = new WeakMap<FastifyRequest, PerRequest>();
  const per = (req: FastifyRequest): PerRequest => {
    let s = state.get(req);
    if (!s) state.set(req, (s = { nonce: randomBytes(16).toString('base64url') }));
    return s;
  };

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8')));
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const s = per(req);
    const logo = logoOrigin(s.brand?.logoUri);
    const csp = [
      "default-src 'none'",
      "script-src 'self'",
      `style-src 'self' 'nonce-${s.nonce}'`,
      `img-src 'self' data:${logo ? ` ${logo}` : ''}`,
      "connect-src 'self'",
      "form-action 'self'",
      `frame-ancestors ${deps.frameAncestors}`,
      "base-uri 'none'",
    ].join('; ');
    void reply.header('content-security-policy', csp);
    void reply.header('x-content-type-options', 'nosniff');
    // The session secret is in the URL: never send it to a logo host or a followed link.
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('cache-control', 'no-store');
    return payload;
  });

  const rt: PortalRuntime = {
    ...deps,
    viewer(req) {
      const v = per(req).viewer;
      if (!v) throw new Error('portal viewer missing: route registered outside the session scope');
      return v;
    },
    send(reply, req, input) {
      const s = per(req);
      const body = portalPage({
        title: input.title,
        assets,
        body: input.body,
        brand: s.brand,
        session: s.viewer ? { base: s.viewer.base, active: input.active } : undefined,
        nonce: s.nonce,
      });
      return reply
        .code(input.status ?? 200)
        .type('text/html; charset=utf-8')
        .send(body);
    },
  };

  const notice = (req: FastifyRequest, reply: FastifyReply, status: number, title: string, message: unknown) =>
    rt.send(reply, req, {
      title,
      active: null,
      status,
      body: html`<div class="page-head"><h1 data-portal-notice="${status}">${title}</h1></div>
        ${flash(status >= 500 ? 'bad' : 'info', message)}`,
    });

  app.setErrorHandler(async (err, req, reply) => {
    const known = asApiError(err);
    if (known)
      return notice(req, reply, known.httpCode, known.httpCode === 404 ? 'Not found' : 'Refused', known.message);
    const e = err as { statusCode?: number; message?: string };
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500)
      return notice(req, reply, e.statusCode, 'Refused', e.message ?? 'bad request');
    if (deps.isUnavailable(err)) {
      const unavailable = databaseUnavailable();
      void reply.header('retry-after', String(unavailable.retryAfterSeconds));
      return notice(req, reply, unavailable.httpCode, 'Unavailable', unavailable.message);
    }
    req.log.error({ err }, 'portal request failed');
    return notice(req, reply, 500, 'Error', messageOf(err));
  });

  app.get('/portal/enter', { schema: { hide: true } }, async (req, reply) => {
    const entry = await deps.sessions.enter(queryParam(req, 'token') ?? '');
    if (entry.kind === 'ok') return reply.redirect(`${PORTAL_SESSION_PREFIX}/${entry.secret}/`, 303);
    if (entry.kind === 'expired')
      return notice(
        req,
        reply,
        410,
        'This link has expired',
        'Portal links work for a short time only. Go back to the app that sent you here and open the webhooks page again to get a new link.',
      );
    return notice(
      req,
      reply,
      404,
      'This link is not valid',
      'The link is not valid or was already used: each link opens the portal once. Go back to the app that sent you here and open the webhooks page again.',
    );
  });

  await app.register(
    async (session: FastifyInstance) => {
      session.addHook('preHandler', async (req, reply) => {
        const secret = (req.params as { sid?: string }).sid ?? '';
        const found = await deps.sessions.resolve(secret);
        if (!found)
          return notice(
            req,
            reply,
            401,
            'Your session has ended',
            'Portal sessions end after an hour without use. Go back to the app that sent you here and open the webhooks page again.',
          );
        const { project } = await deps.projects.get(found.projectId);
        const s = per(req);
        s.brand = brandOf(project);
        s.viewer = {
          projectId: found.projectId,
          csrf: found.csrf,
          brand: s.brand,
          base: `${PORTAL_SESSION_PREFIX}/${secret}`,
        };
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          const token = formOf(req).get('_csrf') ?? undefined;
          if (!saysSameOrigin(req) || !deps.sessions.checkCsrf(secret, token))
            return notice(
              req,
              reply,
              403,
              'Refused',
              'This form is missing its security token or came from another site, so it was refused. Reload the page and try again.',
            );
        }
      });
      registerPortalEndpointPages(session, rt);
      registerPortalDeliveryPages(session, rt);
    },
    { prefix: `${PORTAL_SESSION_PREFIX}/:sid` },
  );
};
