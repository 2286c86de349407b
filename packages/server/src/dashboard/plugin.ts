import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { hashApiKey } from '../keys/api-key.js';
import { databaseUnavailable } from '../http/api-error.js';
import { asApiError } from '../http/from-domain-error.js';
import { registerAssets } from './assets/serve.js';
import { isCrossSite } from './cross-site.js';
import { html } from './html.js';
import { csrfField, flash } from './layout.js';
import { registerDeliveryPages } from './pages/deliveries.js';
import { registerEventPages } from './pages/events.js';
import { registerOperationPages } from './pages/operations.js';
import { registerOverviewPage } from './pages/overview.js';
import { registerProjectPages } from './pages/projects.js';
import { registerReplayPage } from './pages/replay.js';
import { registerWebhookPages } from './pages/webhooks.js';
import {
  formOf,
  isHtmx,
  messageOf,
  queryParam,
  renderPage,
  sendHtmxError,
  type DashboardDeps,
  type Runtime,
  type Viewer,
} from './runtime.js';
import { parseCookies, serializeCookie, SESSION_TTL_MS, SessionCodec } from './session.js';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const LOGIN_PATH = '/dashboard/login';

/** Only same-site absolute paths are followed after login (no `//host`, no scheme). */
function safeNext(next: string | undefined): string {
  if (!next || !/^\/(?![/\\])[^\s\\]*$/.test(next) || next.startsWith(LOGIN_PATH)) return '/';
  return next;
}

/**
 * The dashboard: server-rendered pages at `/` and under `/dashboard/`, htmx for in-place updates,
 * an SSE stream for live refresh. Login with an API key sets a signed session cookie (HttpOnly,
 * SameSite=Strict, Path=/, Secure on https) that maps to the key's project; the key itself is not
 * stored in the cookie. Every mutating request needs the session's CSRF token (form field `_csrf`
 * or header `X-CSRF-Token`) and a same-origin `Origin`, or gets 403.
 */
export const dashboardRoutes: FastifyPluginAsync<DashboardDeps> = async (app, deps) => {
  const codec = new SessionCodec(deps.sessionSecret);
  const prefix = deps.secureCookies ? '__Host-' : '';
  const SESSION_COOKIE = `${prefix}herald_session`;
  const LOGIN_COOKIE = `${prefix}herald_login`;
  const viewers = new WeakMap<FastifyRequest, Viewer>();

  // Forms post application/x-www-form-urlencoded (htmx too); parsed here only, not for the API.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8')));
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('content-security-policy', CSP);
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('referrer-policy', 'same-origin');
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    return payload;
  });

  const assets = registerAssets(app);

  const rt: Runtime = {
    ...deps,
    codec,
    assets,
    openProject(reply, viewer, projectId) {
      const { token } = codec.issue({ projectId, keyHash: viewer.session.keyHash, now: deps.clock.now() });
      void reply.header(
        'set-cookie',
        serializeCookie(SESSION_COOKIE, token, { secure: deps.secureCookies, maxAgeSeconds: SESSION_TTL_MS / 1000 }),
      );
    },
    viewer(req) {
      const v = viewers.get(req);
      if (!v) throw new Error('dashboard viewer missing: route registered outside the authenticated scope');
      return v;
    },
    send(reply, req, input) {
      const body = renderPage(rt, viewers.get(req), input);
      return reply
        .code(input.status ?? 200)
        .type('text/html; charset=utf-8')
        .send(body);
    },
  };

  const sendError = (req: FastifyRequest, reply: FastifyReply, status: number, message: string) => {
    if (isHtmx(req)) return sendHtmxError(reply, status, message);
    const title = status === 404 ? 'Not found' : status === 403 ? 'Refused' : 'Error';
    return rt.send(reply, req, {
      title,
      active: null,
      status,
      body: html`<div class="page-head"><h1>${title}</h1></div>
        ${flash('bad', message)}
        <p><a class="btn" href="/">Back to the overview</a></p>`,
    });
  };

  app.setErrorHandler(async (err, req, reply) => {
    const known = asApiError(err);
    if (known) return sendError(req, reply, known.httpCode, known.message);
    const e = err as { statusCode?: number; message?: string };
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500)
      return sendError(req, reply, e.statusCode, e.message ?? 'bad request');
    if (deps.isUnavailable(err)) {
      const unavailable = databaseUnavailable();
      void reply.header('retry-after', String(unavailable.retryAfterSeconds));
      return sendError(req, reply, unavailable.httpCode, unavailable.message);
    }
    req.log.error({ err }, 'dashboard request failed');
    return sendError(req, reply, 500, messageOf(err));
  });

  /** The viewer of a request from its session cookie, re-checking that the key still exists. */
  async function viewerOf(req: FastifyRequest): Promise<Viewer | undefined> {
    const session = codec.verify(parseCookies(req.headers.cookie).get(SESSION_COOKIE), deps.clock.now());
    if (!session) return undefined;
    const key = await deps.apiKeys.authenticateHash(session.keyHash);
    if (!key) return undefined;
    const viewer = { session, projectId: session.projectId, csrf: codec.csrfToken(session), admin: key.admin };
    // The admin key's session may look at any project that (still) exists; a project key's only at its own.
    if (key.admin)
      return session.projectId === key.projectId || (await deps.projects?.exists(session.projectId))
        ? viewer
        : undefined;
    return key.projectId === session.projectId ? viewer : undefined;
  }

  /** Refuses cross-site requests: a foreign `Origin`, or `Sec-Fetch-Site: cross-site`. */
  const crossSite = isCrossSite;

  const clearCookie = (name: string) => serializeCookie(name, '', { secure: deps.secureCookies, maxAgeSeconds: 0 });

  // ---- public: login ----
  const loginPage = (
    reply: FastifyReply,
    req: FastifyRequest,
    opts: { error?: string; next?: string; status?: number },
  ) => {
    const nonce = codec.newLoginNonce();
    void reply.header(
      'set-cookie',
      serializeCookie(LOGIN_COOKIE, nonce, { secure: deps.secureCookies, maxAgeSeconds: 3600 }),
    );
    const notice = queryParam(req, 'flash') === 'logged_out' ? flash('info', 'You are logged out.') : '';
    return rt.send(reply, req, {
      title: 'Log in',
      active: null,
      status: opts.status ?? 200,
      body: html`<div class="login">
        <div class="panel">
          <h1>Log in</h1>
          <p class="muted">
            Enter an API key of your project, or the instance's admin key to see every project. The dashboard keeps a
            signed session cookie, never the key.
          </p>
          ${notice} ${opts.error ? flash('bad', opts.error) : ''}
          <form class="stack" method="post" action="${LOGIN_PATH}">
            ${csrfField(codec.loginCsrfToken(nonce))}
            <input type="hidden" name="next" value="${safeNext(opts.next)}" />
            <label
              >API key
              <input type="password" name="api_key" autocomplete="off" required autofocus placeholder="hk_…" />
              <span class="hint"
                >Printed when the server started, and saved as <code>api-key</code> in the data directory.</span
              >
            </label>
            <div><button class="primary" type="submit">Log in</button></div>
          </form>
        </div>
        <p class="muted small">
          Prefer the API? <code>curl -s $HERALD_URL/v1beta/webhooks -H "x-goog-api-key: $HERALD_API_KEY"</code> ·
          <a href="/openapi.json">OpenAPI</a> · <a href="/healthz">/healthz</a>
        </p>
      </div>`,
    });
  };

  app.get(LOGIN_PATH, { schema: { hide: true } }, async (req, reply) => {
    if (await viewerOf(req)) return reply.redirect(safeNext(queryParam(req, 'next')), 303);
    return loginPage(reply, req, { next: queryParam(req, 'next') ?? '/' });
  });

  app.post(LOGIN_PATH, { schema: { hide: true } }, async (req, reply) => {
    const form = formOf(req);
    const next = form.get('next') ?? '/';
    if (
      crossSite(req) ||
      !codec.checkLoginCsrf(parseCookies(req.headers.cookie).get(LOGIN_COOKIE), form.get('_csrf') ?? undefined)
    ) {
      return loginPage(reply, req, {
        next,
        status: 403,
        error: 'The login form expired or came from another site. Try again from this page.',
      });
    }
    const key = (form.get('api_key') ?? '').trim();
    const found = key ? await deps.apiKeys.authenticate(key) : undefined;
    if (!found) {
      return loginPage(reply, req, {
        next,
        status: 401,
        error: 'That API key is not valid. Check it, or create one with `herald keys create`.',
      });
    }
    const { token } = codec.issue({ projectId: found.projectId, keyHash: hashApiKey(key), now: deps.clock.now() });
    void reply.header('set-cookie', [
      serializeCookie(SESSION_COOKIE, token, { secure: deps.secureCookies, maxAgeSeconds: SESSION_TTL_MS / 1000 }),
      clearCookie(LOGIN_COOKIE),
    ]);
    // The operator lands on the projects page unless the login was on the way somewhere.
    const landing = found.admin && deps.projects && safeNext(next) === '/' ? '/dashboard/projects' : safeNext(next);
    return reply.redirect(landing, 303);
  });

  app.get('/dashboard', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/', 303));

  // ---- authenticated pages ----
  const streams = new Set<ServerResponse>();
  let closing = false;
  await app.register(async (authed: FastifyInstance) => {
    authed.addHook('preHandler', async (req, reply) => {
      const viewer = await viewerOf(req);
      if (!viewer) {
        if (req.url.startsWith('/dashboard/stream')) return reply.code(401).type('text/plain').send('log in first');
        if (isHtmx(req)) return reply.code(401).header('hx-redirect', LOGIN_PATH).send();
        const next = req.method === 'GET' ? req.url : '/';
        return reply.redirect(next === '/' ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(next)}`, 303);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const header = req.headers['x-csrf-token'];
        const token = typeof header === 'string' ? header : (formOf(req).get('_csrf') ?? undefined);
        if (crossSite(req) || !codec.checkCsrf(viewer.session, token)) {
          viewers.set(req, viewer);
          return sendError(
            req,
            reply,
            403,
            'This form is missing its security token or came from another site, so it was refused. Reload the page and try again.',
          );
        }
      }
      viewers.set(req, viewer);
    });

    authed.post('/dashboard/logout', { schema: { hide: true } }, async (_req, reply) => {
      void reply.header('set-cookie', clearCookie(SESSION_COOKIE));
      return reply.redirect(`${LOGIN_PATH}?flash=logged_out`, 303);
    });

    // Live updates: one `change` message (coalesced to ≤ 4 per second) whenever the project's
    // events, deliveries or operations change. The page re-fetches what it shows.
    authed.get('/dashboard/stream', { schema: { hide: true } }, async (req, reply) => {
      const { projectId, session } = rt.viewer(req);
      const who = await deps.apiKeys.authenticateHash(session.keyHash);
      const keyId = who?.keyId;
      // The server began closing while the key was read: a stream opened now would outlive the
      // preClose hook that ends the others, and hold the close forever.
      if (closing) return reply.code(503).header('retry-after', '3').send();
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      });
      res.write('retry: 3000\n: connected\n\n');
      const kinds = new Set<string>();
      let timer: NodeJS.Timeout | undefined;
      const flush = () => {
        timer = undefined;
        res.write(`event: change\ndata: ${JSON.stringify({ kinds: [...kinds] })}\n\n`);
        kinds.clear();
      };
      const unsubscribe = deps.live.subscribe(projectId, (kind) => {
        kinds.add(kind);
        timer ??= setTimeout(flush, 250);
      });
      const heartbeat = setInterval(() => res.write(': ping\n\n'), 25_000);
      heartbeat.unref();
      streams.add(res);
      const untrack = keyId ? deps.keyStreams?.track(projectId, keyId, () => res.end(), who?.admin) : undefined;
      res.on('close', () => {
        untrack?.();
        unsubscribe();
        clearInterval(heartbeat);
        if (timer) clearTimeout(timer);
        streams.delete(res);
      });
    });

    registerProjectPages(authed, rt);
    registerOverviewPage(authed, rt);
    registerWebhookPages(authed, rt);
    registerEventPages(authed, rt);
    registerDeliveryPages(authed, rt);
    registerReplayPage(authed, rt);
    registerOperationPages(authed, rt);
  });

  // Open streams would keep the server from closing.
  app.addHook('preClose', async () => {
    closing = true;
    for (const res of streams) res.end();
  });

  // Wake-ups from the store while a stream is open: events appended, operations changed (attempts
  // come from the engine's hook).
  const unfeed = deps.live.feed(() => {
    const unsubscribes = [
      deps.notices.subscribeEvents((n) => deps.live.notify(n.projectId, 'event')),
      deps.notices.subscribeOperations((c) => deps.live.notify(c.projectId, 'operation')),
    ];
    return () => {
      for (const u of unsubscribes) u();
    };
  });
  app.addHook('onClose', async () => unfeed());
};
