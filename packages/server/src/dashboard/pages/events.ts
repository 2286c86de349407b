import { GEMINI_EVENT_TYPES, HERALD_EVENT_TYPES } from '@herald/contracts';
import type { FastifyInstance } from 'fastify';
import type { EventRecord } from '../../model/records.js';
import { html, prettyJson, type SafeHtml } from '../html.js';
import { empty, iso, liveRegion, when, withQuery } from '../layout.js';
import { queryParam, type Runtime } from '../runtime.js';
import { deliveriesTable } from './deliveries.js';

const PAGE = 50;

function eventsTable(rows: EventRecord[], now: number): SafeHtml {
  return html`<div class="table-wrap">
    <table class="events">
      <thead>
        <tr>
          <th class="num">Seq</th>
          <th>Created</th>
          <th>Type</th>
          <th>Operation</th>
          <th>webhook-id</th>
          <th class="num">Deliveries</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (e) =>
            html`<tr data-event="${e.id}">
              <td class="num">${e.sequence}</td>
              <td><a href="/dashboard/events/${e.id}">${when(e.createdAt, now)}</a></td>
              <td>
                <a href="/dashboard/events/${e.id}"><code>${e.type}</code></a>
              </td>
              <td class="cell-wrap">
                ${e.operation !== null ? html`<code>${e.operation}</code>` : html`<span class="muted">—</span>`}
              </td>
              <td class="mono small">${e.messageId}</td>
              <td class="num">${e.deliveryCount}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export function registerEventPages(app: FastifyInstance, rt: Runtime): void {
  app.get('/dashboard/events', { schema: { hide: true } }, async (req, reply) => {
    const { projectId } = rt.viewer(req);
    const now = rt.clock.now();
    const type = (queryParam(req, 'type') ?? '').trim() || undefined;
    const beforeRaw = queryParam(req, 'before');
    const before = beforeRaw !== undefined && /^\d+$/.test(beforeRaw) ? Number(beforeRaw) : undefined;
    const rows = await rt.reads.recentEvents(projectId, {
      pageSize: PAGE,
      ...(type ? { types: [type] } : {}),
      ...(before !== undefined ? { beforeSequence: before } : {}),
    });
    const self = withQuery('/dashboard/events', { type });
    const last = rows.at(-1);
    const table =
      rows.length === 0
        ? empty(
            type ? `No ${type} events` : 'No events yet',
            type
              ? html`<a href="/dashboard/events">Show every type</a>.`
              : html`Events are emitted by operations, by <code>POST /v1beta/events</code>, and by pinging a webhook.`,
          )
        : eventsTable(rows, now);
    return rt.send(reply, req, {
      title: 'Events',
      active: 'events',
      body: html`<div class="page-head">
          <div>
            <h1>Events</h1>
            <p class="muted">The project's event log, newest first. Each event is sent to every subscribed webhook.</p>
          </div>
        </div>
        <form class="filters" method="get" action="/dashboard/events">
          <label
            >Type
            <input type="text" name="type" value="${type ?? ''}" list="event-types" placeholder="any type" />
          </label>
          <datalist id="event-types">
            ${[...GEMINI_EVENT_TYPES, ...HERALD_EVENT_TYPES].map((t) => html`<option value="${t}"></option>`)}
          </datalist>
          <button type="submit">Filter</button>
          ${type ? html`<a class="btn" href="/dashboard/events">Clear</a>` : ''}
        </form>
        ${before === undefined ? liveRegion('live-events', self, table) : html`<div id="live-events">${table}</div>`}
        <div class="pager">
          ${before !== undefined ? html`<a class="btn small" href="${self}">Newest</a>` : ''}
          ${
            rows.length === PAGE && last
              ? html`<a class="btn small" href="${withQuery('/dashboard/events', { type, before: last.sequence })}"
                  >Older →</a
                >`
              : ''
          }
        </div>`,
    });
  });

  app.get<{ Params: { id: string } }>('/dashboard/events/:id', { schema: { hide: true } }, async (req, reply) => {
    const { projectId } = rt.viewer(req);
    const now = rt.clock.now();
    const e = await rt.events.get(projectId, req.params.id);
    const [deliveries, webhooks] = await Promise.all([
      rt.deliveries.list(projectId, { eventId: e.id, pageSize: 100 }),
      rt.webhooks.list(projectId, 1000),
    ]);
    const names = new Map(webhooks.map((w) => [w.id, w.name]));
    const self = `/dashboard/events/${e.id}`;
    return rt.send(reply, req, {
      title: `Event ${e.type}`,
      active: 'events',
      body: html`<div class="page-head">
          <div>
            <h1><code>${e.type}</code></h1>
            <p class="muted mono">${e.id}</p>
          </div>
        </div>
        <div class="panel">
          <dl class="props">
            <dt>Sequence</dt>
            <dd>${e.sequence}</dd>
            <dt>webhook-id</dt>
            <dd><code>${e.messageId}</code></dd>
            <dt>Operation</dt>
            <dd>${e.operation !== null ? html`<code>${e.operation}</code>` : html`<span class="muted">—</span>`}</dd>
            <dt>Created</dt>
            <dd>${when(e.createdAt, now)} <span class="muted mono small">${iso(e.createdAt)}</span></dd>
            <dt>Size</dt>
            <dd>${Buffer.byteLength(e.body)} bytes</dd>
          </dl>
        </div>
        <h2>Payload</h2>
        <p class="muted small">The exact bytes every attempt sends and signs, pretty-printed.</p>
        <pre class="payload" data-payload>${prettyJson(e.body)}</pre>
        <h2>Deliveries</h2>
        ${liveRegion(
          'live-event-deliveries',
          self,
          deliveries.length === 0
            ? empty(
                'No deliveries',
                html`No webhook was subscribed to <code>${e.type}</code> when this event happened.`,
              )
            : deliveriesTable(deliveries, names, now),
        )}`,
    });
  });
}
