import type { FastifyInstance } from 'fastify';
import { html, prettyJson, raw } from '../html.js';
import { badge, csrfField, empty, flash, iso, when, withQuery } from '../layout.js';
import { attemptsTable, deliveriesTable } from '../pages/deliveries.js';
import { queryParam } from '../runtime.js';
import type { PortalRuntime } from './portal-runtime.js';

const PAGE = 50;

/** Deliveries of the session's project: the list (optionally of one endpoint), one delivery, retry. */
export function registerPortalDeliveryPages(app: FastifyInstance, rt: PortalRuntime): void {
  app.get('/deliveries', { schema: { hide: true } }, async (req, reply) => {
    const { projectId, base } = rt.viewer(req);
    const now = rt.clock.now();
    const webhook = queryParam(req, 'webhook') || undefined;
    const before = queryParam(req, 'before') || undefined;
    const [rows, webhooks] = await Promise.all([
      rt.deliveries.list(projectId, {
        pageSize: PAGE,
        ...(webhook ? { webhookId: webhook } : {}),
        ...(before ? { beforeId: before } : {}),
      }),
      rt.webhooks.list(projectId, 1000),
    ]);
    const names = new Map(webhooks.map((w) => [w.id, w.name]));
    const last = rows.length === PAGE ? rows[rows.length - 1] : undefined;
    return rt.send(reply, req, {
      title: 'Deliveries',
      active: 'deliveries',
      body: html`<div class="page-head">
          <div>
            <h1>Deliveries</h1>
            <p class="muted">
              ${webhook ? html`Of endpoint <code>${names.get(webhook) || webhook}</code>. ` : ''}Newest first; open one
              to see its attempts or retry it.
            </p>
          </div>
        </div>
        ${
          rows.length === 0
            ? empty('No deliveries yet', html`Deliveries appear here as soon as events are sent to your endpoints.`)
            : deliveriesTable(rows, names, now, base)
        }
        ${last ? html`<a class="btn small" href="${withQuery(`${base}/deliveries`, { webhook, before: last.id })}">Older →</a>` : ''}`,
    });
  });

  app.get<{ Params: { id: string } }>('/deliveries/:id', { schema: { hide: true } }, async (req, reply) => {
    const { projectId, csrf, base } = rt.viewer(req);
    const now = rt.clock.now();
    const {
      delivery: d,
      attempts,
      webhook: wh,
      event,
      retryRefusal,
    } = await rt.deliveries.detail(projectId, req.params.id);
    const self = `${base}/deliveries/${d.id}`;
    return rt.send(reply, req, {
      title: 'Delivery',
      active: 'deliveries',
      body: html`${queryParam(req, 'flash') === 'retry_queued' ? flash('ok', 'Retry queued: the attempt appears below as soon as your endpoint answers.') : ''}
        <div class="page-head">
          <div>
            <h1>Delivery ${badge(d.status)}</h1>
            <p class="muted mono">${d.id}</p>
          </div>
          <div class="actions">
            <form method="post" action="${self}/retry">
              ${csrfField(csrf)}
              <button class="primary" type="submit" data-action="retry" ${retryRefusal ? raw('disabled') : ''}>
                Retry now
              </button>
            </form>
          </div>
        </div>
        ${retryRefusal ? html`<p class="muted small">Retry is not possible: ${retryRefusal}.</p>` : ''}
        <div class="panel">
          <dl class="props">
            <dt>Event</dt>
            <dd><code>${d.eventType}</code></dd>
            <dt>webhook-id</dt>
            <dd><code>${d.messageId}</code></dd>
            <dt>Endpoint</dt>
            <dd>
              ${wh ? html`<a href="${base}/webhooks/${wh.id}">${wh.name || wh.id}</a> ` : ''}<code>${d.uri}</code>
            </dd>
            <dt>Created</dt>
            <dd>${when(d.createdAt, now)} <span class="muted mono small">${iso(d.createdAt)}</span></dd>
            <dt>Next attempt</dt>
            <dd>
              ${d.nextAttemptAt !== null ? when(d.nextAttemptAt, now) : html`<span class="muted">none scheduled</span>`}
            </dd>
          </dl>
        </div>
        <h2>Attempts</h2>
        ${attemptsTable(attempts)}
        ${
          event
            ? html`<h2>Payload</h2>
                <pre class="payload">${prettyJson(event.body)}</pre>`
            : ''
        }`,
    });
  });

  app.post<{ Params: { id: string } }>('/deliveries/:id/retry', { schema: { hide: true } }, async (req, reply) => {
    const { projectId, base } = rt.viewer(req);
    await rt.deliveries.retry(projectId, req.params.id);
    return reply.redirect(`${base}/deliveries/${req.params.id}?flash=retry_queued`, 303);
  });
}
