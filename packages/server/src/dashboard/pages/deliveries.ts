import { DELIVERY_STATUSES, type DeliveryStatus } from '@herald/contracts';
import type { FastifyInstance } from 'fastify';
import type { AttemptRecord, DeliveryRecord } from '../../model/records.js';
import { html, raw, type SafeHtml } from '../html.js';
import { badge, csrfField, duration, empty, flash, iso, liveRegion, when, withQuery } from '../layout.js';
import { queryParam, type Runtime } from '../runtime.js';

const PAGE = 50;

const isStatus = (s: string | undefined): s is DeliveryStatus =>
  s !== undefined && (DELIVERY_STATUSES as readonly string[]).includes(s);

/** Destination cell: the webhook's name (linked) or the dynamic URI. */
function destination(d: DeliveryRecord, names: Map<string, string>, base: string): SafeHtml {
  if (d.webhookId !== null) {
    const name = names.get(d.webhookId);
    return html`<a href="${base}/webhooks/${d.webhookId}">${name || d.webhookId}</a>${
        name === undefined ? html` <span class="muted small">(deleted)</span>` : ''
      }`;
  }
  return html`<span class="mono cell-wrap">${d.uri}</span> <span class="muted small">dynamic</span>`;
}

function lastResult(d: DeliveryRecord): SafeHtml {
  if (d.lastStatusCode !== null) return html`<span class="mono">HTTP ${d.lastStatusCode}</span>`;
  if (d.lastError !== null) return html`<span class="mono cell-wrap">${d.lastError.slice(0, 80)}</span>`;
  return html`<span class="muted">—</span>`;
}

/**
 * The deliveries table used by the overview, the deliveries list and the webhook and event pages
 * (and the consumer portal, whose pages live under another `base`).
 */
export function deliveriesTable(
  rows: DeliveryRecord[],
  names: Map<string, string>,
  now: number,
  base = '/dashboard',
): SafeHtml {
  return html`<div class="table-wrap">
    <table class="deliveries">
      <thead>
        <tr>
          <th>Created</th>
          <th>Event</th>
          <th>Destination</th>
          <th>Status</th>
          <th class="num">Attempts</th>
          <th>Last result</th>
          <th>Next attempt</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (d) =>
            html`<tr data-delivery="${d.id}">
              <td><a href="${base}/deliveries/${d.id}">${when(d.createdAt, now)}</a></td>
              <td><code>${d.eventType}</code></td>
              <td>${destination(d, names, base)}</td>
              <td>
                ${badge(d.status)}${d.statusReason ? html` <span class="muted small">${d.statusReason}</span>` : ''}
              </td>
              <td class="num">${d.attemptCount}</td>
              <td>${lastResult(d)}</td>
              <td>${d.nextAttemptAt !== null ? when(d.nextAttemptAt, now) : html`<span class="muted">—</span>`}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export function attemptsTable(attempts: AttemptRecord[]): SafeHtml {
  if (attempts.length === 0)
    return empty('No attempts yet', html`The first attempt is made as soon as the engine claims the delivery.`);
  return html`<div class="table-wrap">
    <table class="attempts">
      <thead>
        <tr>
          <th class="num">#</th>
          <th>Trigger</th>
          <th>Started (UTC)</th>
          <th>Status</th>
          <th class="num">Duration</th>
          <th>Error</th>
          <th>Response excerpt</th>
        </tr>
      </thead>
      <tbody>
        ${attempts.map((a) => {
          const ok = a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300;
          return html`<tr data-attempt="${a.number}">
            <td class="num">${a.number}</td>
            <td>${badge(a.trigger, a.trigger === 'scheduled' ? 'off' : 'info')}</td>
            <td class="mono small">${iso(a.startedAt)}</td>
            <td>
              ${
                a.statusCode !== null
                  ? html`<span class="badge ${ok ? 'ok' : 'bad'}" data-status-code="${a.statusCode}"
                      >HTTP ${a.statusCode}</span
                    >`
                  : html`<span class="badge bad">no response</span>`
              }
            </td>
            <td class="num">${duration(a.durationMs)}</td>
            <td class="cell-wrap">
              ${
                a.errorCode !== null
                  ? html`<code>${a.errorCode}</code> ${a.errorMessage ?? ''}`
                  : html`<span class="muted">—</span>`
              }
            </td>
            <td class="cell-wrap">
              ${
                a.responseExcerpt !== null
                  ? html`<pre class="excerpt">${a.responseExcerpt}</pre>`
                  : html`<span class="muted">empty</span>`
              }
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

const FLASHES: Record<string, SafeHtml> = {
  retry_queued: flash('ok', 'Retry queued: the attempt appears below as soon as the receiver answers.'),
};

export function registerDeliveryPages(app: FastifyInstance, rt: Runtime): void {
  app.get('/dashboard/deliveries', { schema: { hide: true } }, async (req, reply) => {
    const { projectId } = rt.viewer(req);
    const now = rt.clock.now();
    const statusParam = queryParam(req, 'status');
    const status = isStatus(statusParam) ? statusParam : undefined;
    const webhook = queryParam(req, 'webhook') || undefined;
    const before = queryParam(req, 'before') || undefined;
    const [rows, webhooks] = await Promise.all([
      rt.deliveries.list(projectId, {
        pageSize: PAGE,
        ...(status ? { status } : {}),
        ...(webhook ? { webhookId: webhook } : {}),
        ...(before ? { beforeId: before } : {}),
      }),
      rt.webhooks.list(projectId, 1000),
    ]);
    const names = new Map(webhooks.map((w) => [w.id, w.name]));
    const self = withQuery('/dashboard/deliveries', { status, webhook });
    const last = rows.at(-1);
    const filtered = status !== undefined || webhook !== undefined;
    const table =
      rows.length === 0
        ? empty(
            filtered ? 'No deliveries match these filters' : 'No deliveries yet',
            filtered
              ? html`<a href="/dashboard/deliveries">Clear the filters</a> to see every delivery.`
              : html`A delivery is one event on its way to one destination.
                  <a href="/dashboard/webhooks">Create a webhook</a> and ping it to see one.`,
          )
        : deliveriesTable(rows, names, now);
    return rt.send(reply, req, {
      title: 'Deliveries',
      active: 'deliveries',
      body: html`<div class="page-head">
          <div>
            <h1>Deliveries</h1>
            <p class="muted">Every event on its way to every destination, newest first.</p>
          </div>
        </div>
        <form class="filters" method="get" action="/dashboard/deliveries">
          <label
            >Status
            <select name="status">
              <option value="">any</option>
              ${DELIVERY_STATUSES.map(
                (s) =>
                  html`<option value="${s}" ${s === status ? raw('selected') : ''}>${s.replace('_', ' ')}</option>`,
              )}
            </select>
          </label>
          <label
            >Webhook
            <select name="webhook">
              <option value="">any</option>
              ${webhooks.map(
                (w) =>
                  html`<option value="${w.id}" ${w.id === webhook ? raw('selected') : ''}>${w.name || w.id}</option>`,
              )}
            </select>
          </label>
          <button type="submit">Filter</button>
        </form>
        ${before === undefined ? liveRegion('live-deliveries', self, table) : html`<div id="live-deliveries">${table}</div>`}
        <div class="pager">
          ${before !== undefined ? html`<a class="btn small" href="${self}">Newest</a>` : ''}
          ${
            rows.length === PAGE && last
              ? html`<a
                  class="btn small"
                  href="${withQuery('/dashboard/deliveries', { status, webhook, before: last.id })}"
                  >Older →</a
                >`
              : ''
          }
        </div>`,
    });
  });

  app.get<{ Params: { id: string } }>('/dashboard/deliveries/:id', { schema: { hide: true } }, async (req, reply) => {
    const { projectId, csrf } = rt.viewer(req);
    const now = rt.clock.now();
    const {
      delivery: d,
      attempts,
      webhook: wh,
      event,
      retryRefusal,
    } = await rt.deliveries.detail(projectId, req.params.id);
    const blocked = retryRefusal !== undefined ? `Retry is not possible: ${retryRefusal}.` : undefined;
    const flashCode = queryParam(req, 'flash');
    const self = `/dashboard/deliveries/${d.id}`;
    const content = html`${flashCode && FLASHES[flashCode] ? FLASHES[flashCode] : ''}
      <div class="page-head">
        <div>
          <h1>Delivery ${badge(d.status)}</h1>
          <p class="muted mono">${d.id}</p>
        </div>
        <div class="actions">
          <form
            method="post"
            action="${self}/retry"
            hx-post="${self}/retry"
            hx-target="#live-delivery"
            hx-select="#live-delivery"
            hx-swap="outerHTML"
          >
            ${csrfField(csrf)}
            <button class="primary" type="submit" data-action="retry" ${blocked ? raw('disabled') : ''}>
              Retry now
            </button>
          </form>
        </div>
      </div>
      ${blocked ? html`<p class="muted small">${blocked}</p>` : ''}
      <div class="panel">
        <dl class="props">
          <dt>Event</dt>
          <dd>
            <a href="/dashboard/events/${d.eventId}"><code>${d.eventType}</code></a>
            <span class="muted mono small">${d.eventId}</span>
          </dd>
          <dt>webhook-id</dt>
          <dd>
            <code>${d.messageId}</code> <span class="muted small">the same on every attempt and destination</span>
          </dd>
          <dt>Destination</dt>
          <dd>
            ${wh ? html`<a href="/dashboard/webhooks/${wh.id}">${wh.name || wh.id}</a> ` : ''}<code>${d.uri}</code>
            <span class="muted small">${d.destType}</span>
          </dd>
          <dt>Status</dt>
          <dd>${badge(d.status)} ${d.statusReason ? html`<span class="muted">${d.statusReason}</span>` : ''}</dd>
          <dt>Attempts</dt>
          <dd>${d.attemptCount}</dd>
          <dt>Next attempt</dt>
          <dd>
            ${d.nextAttemptAt !== null ? when(d.nextAttemptAt, now) : html`<span class="muted">none scheduled</span>`}
          </dd>
          <dt>Created</dt>
          <dd>${when(d.createdAt, now)} <span class="muted mono small">${iso(d.createdAt)}</span></dd>
          <dt>Retries until</dt>
          <dd>${when(d.deadlineAt, now)}</dd>
        </dl>
      </div>
      <h2>Attempts</h2>
      ${attemptsTable(attempts)}
      ${event ? html`<p><a href="/dashboard/events/${event.id}">View the payload →</a></p>` : ''}`;
    return rt.send(reply, req, {
      title: `Delivery ${d.id}`,
      active: 'deliveries',
      body: liveRegion('live-delivery', self, content),
    });
  });

  app.post<{ Params: { id: string } }>(
    '/dashboard/deliveries/:id/retry',
    { schema: { hide: true } },
    async (req, reply) => {
      const { projectId } = rt.viewer(req);
      const delivery = await rt.deliveries.retry(projectId, req.params.id);
      rt.live.notify(projectId, 'delivery');
      return reply.redirect(`/dashboard/deliveries/${delivery.id}?flash=retry_queued`, 303);
    },
  );
}
